/// The priority work queue: submit with dependencies, atomic claims under a lease, completion by the
/// claimer only, cancellation.
public struct WorkQueueService: Sendable {
    public let database: any DatabaseClient
    public let config: WorkQueueConfig

    public init(database: any DatabaseClient, config: WorkQueueConfig = WorkQueueConfig()) {
        self.database = database
        self.config = config
    }

    /// A new task to submit.
    public struct Submission: Sendable {
        public var taskType: String
        public var description: String
        public var inputData: JSONValue?
        public var priority: Int
        public var dependsOn: [String]
        public var deadline: String?
        public var maxAttempts: Int?

        public init(taskType: String, description: String, inputData: JSONValue? = nil, priority: Int = 5,
                    dependsOn: [String] = [], deadline: String? = nil, maxAttempts: Int? = nil) {
            self.taskType = taskType
            self.description = description
            self.inputData = inputData
            self.priority = priority
            self.dependsOn = dependsOn
            self.deadline = deadline
            self.maxAttempts = maxAttempts
        }
    }

    public func submit(_ submission: Submission, context: RequestContext) async throws -> JSONValue {
        let taskType = try TaskInput.nonBlank(submission.taskType, field: "task_type")
        let description = try TaskInput.nonBlank(submission.description, field: "description")
        let priority = try TaskInput.priority(submission.priority)
        let dependencies = try submission.dependsOn.map { try TaskInput.taskId($0, field: "depends_on") }
        if let input = submission.inputData, input.objectValue == nil, !input.isNull {
            throw InputError(field: "input_data", "must be a JSON object, got \(input.typeName)")
        }
        let maxAttempts = submission.maxAttempts ?? config.defaultMaxAttempts
        guard WorkQueueConfig.maxAttemptsRange.contains(maxAttempts) else {
            throw InputError(field: "max_attempts", "must be between 1 and 100, got \(maxAttempts)")
        }
        let deadline = try submission.deadline.map { try TaskInput.timestamp($0, field: "deadline") }
        let result = try await database.rpc("submit_task", [
            "p_task_type": .string(taskType),
            "p_description": .string(description),
            "p_input_data": submission.inputData ?? .null,
            "p_priority": .int(priority),
            "p_depends_on": dependencies.isEmpty ? .null : JSONValue(dependencies),
            "p_deadline": JSONValue(deadline),
            "p_max_attempts": .int(maxAttempts),
            "p_now": context.now,
        ])
        // An id that names no task is a mistake in the request, not a queue state: refuse it like other bad input.
        if result["reason"] == "unknown_dependency" {
            let missing = (result["missing"]?.arrayValue ?? []).compactMap(\.stringValue)
            throw InputError(field: "depends_on", "names no existing task: \(missing.joined(separator: ", "))")
        }
        return OutcomeDetail.annotate(result)
    }

    /// Claims the most urgent ready task of the given types (any type when empty).
    public func claim(taskTypes: [String]? = nil, context: RequestContext) async throws -> JSONValue {
        let types = (taskTypes ?? []).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        let result = try await database.rpc("claim_task", [
            "p_agent_id": .string(context.agentId),
            "p_agent_type": .string(context.agentType),
            "p_task_types": types.isEmpty ? .null : JSONValue(types),
            "p_lease_minutes": .int(config.leaseMinutes),
            "p_now": context.now,
        ])
        return OutcomeDetail.annotate(result)
    }

    /// Extends the caller's lease on a claimed task and marks it running.
    public func renewLease(taskId: String, context: RequestContext) async throws -> JSONValue {
        let id = try TaskInput.taskId(taskId)
        let result = try await database.rpc("renew_task_lease", [
            "p_task_id": .string(id), "p_agent_id": .string(context.agentId),
            "p_lease_minutes": .int(config.leaseMinutes), "p_now": context.now,
        ])
        return OutcomeDetail.annotate(result)
    }

    /// Completes (or fails) a task the caller has claimed.
    public func complete(taskId: String, success: Bool, result: JSONValue? = nil, errorMessage: String? = nil,
                         context: RequestContext) async throws -> JSONValue {
        let id = try TaskInput.taskId(taskId)
        let outcome = try await database.rpc("complete_task", [
            "p_task_id": .string(id),
            "p_agent_id": .string(context.agentId),
            "p_success": .bool(success),
            "p_result": result ?? .null,
            "p_error_message": JSONValue(errorMessage),
            "p_now": context.now,
        ])
        return OutcomeDetail.annotate(outcome)
    }

    /// Cancels a task that has not ended; its pending dependents fail.
    public func cancel(taskId: String, reason: String? = nil, context: RequestContext) async throws -> JSONValue {
        let id = try TaskInput.taskId(taskId)
        let outcome = try await database.rpc("cancel_task", [
            "p_task_id": .string(id), "p_agent_id": .string(context.agentId),
            "p_reason": JSONValue(reason), "p_now": context.now,
        ])
        return OutcomeDetail.annotate(outcome)
    }

    /// `{success:true, task:{…}}` or `{success:false, reason:"task_not_found"}`.
    public func task(id taskId: String) async throws -> JSONValue {
        let id = try TaskInput.taskId(taskId)
        guard let row = try await database.query("work_queue", filter: RowFilter().equal("id", .string(id)), select: Self.columns).first else {
            return OutcomeDetail.annotate(["success": false, "reason": "task_not_found", "task_id": .string(id)])
        }
        return ["success": true, "task": .object(row)]
    }

    /// Tasks in queue order (priority, then submission), optionally of one status; at most `limit` (1–100).
    public func list(status: String? = nil, limit: Int = 20) async throws -> [JSONObject] {
        guard (1...100).contains(limit) else { throw InputError(field: "limit", "must be between 1 and 100, got \(limit)") }
        var filter = RowFilter()
        if let status {
            guard TaskStatus(rawValue: status) != nil else {
                let names = TaskStatus.allCases.map(\.rawValue).joined(separator: ", ")
                throw InputError(field: "status", "must be one of \(names), got \(String(reflecting: status))")
            }
            filter = filter.equal("status", .string(status))
        }
        return try await database.query(
            "work_queue", filter: filter.ordered(by: "priority").ordered(by: "seq").limited(to: limit), select: Self.columns)
    }

    static let columns = [
        "id", "task_type", "description", "input_data", "status", "priority", "depends_on", "claimed_by",
        "claimed_at", "lease_expires_at", "attempt_count", "max_attempts", "result", "error_message",
        "created_at", "started_at", "completed_at", "deadline",
    ]
}
