/// Catalog entries of the work-queue capability.
enum WorkQueueOperations {
    static let all = [claim, complete, submit, get, renew, cancel, list]

    static let taskId = InputSchema.Property("task_id", .uuid, "The task's id.", required: true)

    static let claim = CoordinatorOperation(
        "get_work", .write, route: .post("/work/claim"),
        summary: "Claim the most urgent ready task (under a lease you renew with renew_task_lease).",
        input: .properties(.init("task_types", .texts, "Only tasks of these types (default: any)."))
    ) { input, context, coordinator in
        let claimed = try await coordinator.workQueue.claim(taskTypes: input.strings("task_types"), context: context)
        return try await GuardrailHooks.screenClaim(claimed, context: context, coordinator: coordinator)
    }

    static let complete = CoordinatorOperation(
        "complete_work", .write, route: .post("/work/complete"),
        summary: "Finish a task you claimed, successfully or not.",
        input: .properties(
            taskId,
            .init("success", .boolean, "Whether the task succeeded.", required: true),
            .init("result", .anyObject, "Result data."),
            .init("error_message", .string(), "What went wrong (on failure).")
        )
    ) { input, context, coordinator in
        let taskId = try input.requiredString("task_id")
        let success = input.bool("success") ?? false
        if let refusal = try await GuardrailHooks.screenCompletion(taskId: taskId, success: success, result: input.json("result"),
                                                                   context: context, coordinator: coordinator) {
            return refusal
        }
        return try await coordinator.workQueue.complete(
            taskId: taskId, success: success, result: input.json("result"), errorMessage: input.string("error_message"), context: context)
    }

    static let submit = CoordinatorOperation(
        "submit_work", .write, route: .post("/work/submit"),
        summary: "Queue a task for any agent to claim.",
        input: .properties(
            .init("task_type", .text, "Kind of task (test, refactor, review, …).", required: true),
            .init("description", .text, "What to do.", required: true),
            .init("input_data", .anyObject, "Task input."),
            .init("priority", .integer(minimum: 1, maximum: 10), "1 (most urgent) to 10.", default: 5),
            .init("depends_on", .array(.uuid, maxItems: 100), "Tasks that must complete first."),
            .init("deadline", .dateTime, "When it should be done (ISO-8601)."),
            .init("max_attempts", .integer(minimum: 1, maximum: 100), "Claims allowed before repeated lease expiry fails it.")
        )
    ) { input, context, coordinator in
        if let refusal = try await GuardrailHooks.screenSubmission(
            description: try input.requiredString("description"), inputData: input.json("input_data"), context: context,
            coordinator: coordinator) {
            return refusal
        }
        return try await coordinator.workQueue.submit(
            .init(taskType: try input.requiredString("task_type"), description: try input.requiredString("description"),
                  inputData: input.json("input_data"), priority: input.int("priority") ?? 5, dependsOn: input.strings("depends_on") ?? [],
                  deadline: input.string("deadline"), maxAttempts: input.int("max_attempts")),
            context: context)
    }

    static let get = CoordinatorOperation(
        "get_task", .read, route: .post("/work/get"), summary: "Show one task.", input: .properties(taskId)
    ) { input, _, coordinator in
        try await coordinator.workQueue.task(id: try input.requiredString("task_id"))
    }

    static let renew = CoordinatorOperation(
        "renew_task_lease", .write, route: .post("/work/renew"),
        summary: "Extend the lease on a task you claimed and mark it running.", input: .properties(taskId)
    ) { input, context, coordinator in
        try await coordinator.workQueue.renewLease(taskId: try input.requiredString("task_id"), context: context)
    }

    static let cancel = CoordinatorOperation(
        "cancel_task", .write, route: .post("/work/cancel"),
        summary: "Cancel a task that has not ended; tasks that depend on it fail.",
        input: .properties(taskId, .init("reason", .string(), "Why."))
    ) { input, context, coordinator in
        try await coordinator.workQueue.cancel(taskId: try input.requiredString("task_id"), reason: input.string("reason"), context: context)
    }

    static let list = CoordinatorOperation(
        "list_tasks", .read, route: .post("/work/list"),
        summary: "Tasks in queue order (priority, then submission).",
        input: .properties(
            .init("status", .string(.init(choices: TaskStatus.allCases.map(\.rawValue))), "Only tasks in this status."),
            .init("limit", .integer(minimum: 1, maximum: 100), "At most this many.", default: 20)
        )
    ) { input, _, coordinator in
        let rows = try await coordinator.workQueue.list(status: input.string("status"), limit: input.int("limit") ?? 20)
        return ["tasks": .array(rows.map(JSONValue.object))]
    }
}
