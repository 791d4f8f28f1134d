/// Where the guardrails stand in the way of other operations: before a task is recorded as done, before it is
/// queued, when it is claimed, and before a credential file is locked.
enum GuardrailHooks {
    /// `complete_work`: a successful completion whose result carries a blocked operation is refused and the task
    /// stays claimed → the refusal, or nil to go ahead.
    static func screenCompletion(taskId: String, success: Bool, result: JSONValue?, context: RequestContext,
                                 coordinator: Coordinator) async throws -> JSONValue? {
        guard success, let result, !result.isEmptyValue else { return nil }
        let check = try await coordinator.guardrails.check(GuardrailSubject(values: [result]), context: context, origin: "complete_work")
        guard let refusal = check.refusal else { return nil }
        return refused(["success": false, "reason": .string(refusal), "task_id": .string(taskId), "status": "claimed"], by: check)
    }

    /// `submit_work`: a task whose description or input carries a blocked operation is not queued.
    static func screenSubmission(description: String, inputData: JSONValue?, context: RequestContext,
                                 coordinator: Coordinator) async throws -> JSONValue? {
        let subject = GuardrailSubject(text: description, values: inputData.map { [$0] } ?? [])
        let check = try await coordinator.guardrails.check(subject, context: context, origin: "submit_work")
        guard let refusal = check.refusal else { return nil }
        return refused(["success": false, "reason": .string(refusal), "task_id": nil], by: check)
    }

    /// `get_work`: a claimed task whose description or input carries an operation blocked at the claimant's trust
    /// is failed at once ("Blocked by guardrails: …"), so no agent of that trust runs it → the answer to return.
    static func screenClaim(_ claimed: JSONValue, context: RequestContext, coordinator: Coordinator) async throws -> JSONValue {
        guard claimed["success"] == .bool(true), let taskId = claimed["task_id"]?.stringValue else { return claimed }
        let subject = GuardrailSubject(text: claimed["description"]?.stringValue ?? "", values: claimed["input_data"].map { [$0] } ?? [])
        let check = try await coordinator.guardrails.check(subject, context: context, origin: "get_work")
        guard let refusal = check.refusal else { return claimed }
        _ = try await coordinator.workQueue.complete(
            taskId: taskId, success: false, errorMessage: "Blocked by guardrails: " + check.blockedPatterns.joined(separator: ", "),
            context: context)
        return refused(["success": false, "reason": .string(refusal), "task_id": .string(taskId), "status": "failed"], by: check)
    }

    /// An operation's refusal: its own fields, plus the check's (`error`, `patterns`, `approval_required`, …).
    private static func refused(_ answer: JSONObject, by check: GuardrailResult) -> JSONValue {
        .object(answer.merging(check.refusalFields) { own, _ in own })
    }

    /// `acquire_lock`: locking a credential file (`.env`, `credentials.json`, SSH keys) needs elevated trust (3).
    static func screenLock(path: String, context: RequestContext, coordinator: Coordinator) async throws -> JSONValue? {
        let check = try await coordinator.guardrails.checkLock(path: path, context: context)
        guard !check.safe else { return nil }
        return [
            "success": false, "reason": "credential_file_protected", "file_path": .string(path), "patterns": JSONValue(check.blockedPatterns),
            "requires": "elevated_trust", "required_trust_level": .int(GuardrailsService.credentialLockTrust),
            "trust_level": .int(check.trustLevel),
        ]
    }
}

extension JSONValue {
    /// Null, an empty string, array or object.
    var isEmptyValue: Bool {
        switch self {
        case .null: return true
        case .string(let string): return string.isEmpty
        case .array(let items): return items.isEmpty
        case .object(let object): return object.isEmpty
        default: return false
        }
    }
}
