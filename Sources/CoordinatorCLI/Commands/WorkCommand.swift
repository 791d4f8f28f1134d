import ArgumentParser
import CoordinatorCore

struct WorkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "work", abstract: "The priority work queue: submit, claim, complete, cancel, inspect.",
        subcommands: [Submit.self, Claim.self, Complete.self, Renew.self, Cancel.self, Get.self, List.self])

    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Queue a task.")
        @Option(name: .customLong("type"), help: "Task type (e.g. test, refactor, review).") var taskType: String
        @Option(help: "What to do.") var description: String
        @Option(help: "1 (most urgent) to 10; default 5.") var priority: Int = 5
        @Option(name: .customLong("depends-on"), help: "A task id that must complete first (repeatable).") var dependsOn: [String] = []
        @Option(help: "Task input as a JSON object.") var input: String?
        @Option(help: "ISO-8601 deadline, e.g. 2026-12-01T17:00:00Z.") var deadline: String?
        @Option(name: .customLong("max-attempts"), help: "Claims allowed before a task whose leases keep expiring fails (1–100; default $WORK_MAX_ATTEMPTS, else 3).")
        var maxAttempts: Int?
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandEnvironment.perform("submit_work", [
                    "task_type": .string(taskType), "description": .string(description),
                    "input_data": try input.map { try parseJSONArgument($0, field: "input_data") }, "priority": .int(priority),
                    "depends_on": dependsOn.isEmpty ? nil : JSONValue(dependsOn), "deadline": deadline.map(JSONValue.string),
                    "max_attempts": maxAttempts.map(JSONValue.int),
                ], line: ReadableLine.submitted, identity: identity, output: output)
        }
    }

    struct Claim: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Claim the most urgent ready task (under a lease).")
        @Option(name: .customLong("type"), help: "Only tasks of this type (repeatable).") var taskTypes: [String] = []
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandEnvironment.perform("get_work", ["task_types": taskTypes.isEmpty ? nil : JSONValue(taskTypes)], line: ReadableLine.claimed, identity: identity, output: output)
        }
    }

    struct Complete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Finish a task you claimed.")
        @Argument(help: "Task id.") var taskId: String
        @Flag(exclusivity: .exclusive, help: "Whether the task succeeded.") var outcome: Outcome
        @Option(help: "Result as JSON.") var result: String?
        @Option(name: .customLong("error"), help: "Error message (for --failure).") var errorMessage: String?
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        enum Outcome: String, EnumerableFlag {
            case success, failure
        }

        func run() async throws {
            try await CommandEnvironment.perform("complete_work", [
                    "task_id": .string(taskId), "success": .bool(outcome == .success),
                    "result": try result.map { try parseJSONArgument($0, field: "result") },
                    "error_message": errorMessage.map(JSONValue.string),
                ], line: ReadableLine.taskChange, identity: identity, output: output)
        }
    }

    struct Renew: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Extend the lease on a task you claimed and mark it running.")
        @Argument(help: "Task id.") var taskId: String
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandEnvironment.perform("renew_task_lease", ["task_id": .string(taskId)], line: ReadableLine.taskChange, identity: identity, output: output)
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a task that has not ended; tasks waiting on it fail.")
        @Argument(help: "Task id.") var taskId: String
        @Option(help: "Why.") var reason: String?
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandEnvironment.perform("cancel_task", ["task_id": .string(taskId), "reason": reason.map(JSONValue.string)],
                                      line: ReadableLine.taskChange, identity: identity, output: output)
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one task.")
        @Argument(help: "Task id.") var taskId: String
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandEnvironment.perform("get_task", ["task_id": .string(taskId)], line: ReadableLine.task, identity: identity, output: output)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tasks in queue order.")
        @Option(help: "Only tasks in this status (pending, claimed, running, completed, failed, cancelled).") var status: String?
        @Option(help: "At most this many (1–100).") var limit: Int = 20
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandEnvironment.perform("list_tasks", ["status": status.map(JSONValue.string), "limit": .int(limit)], line: ReadableLine.tasks, identity: identity, output: output)
        }
    }
}
