/// Catalog entries of the guardrails capability.
enum GuardrailOperations {
    static let all = [check, patterns]

    static let check = CoordinatorOperation(
        "check_guardrails", .read, route: .post("/guardrails/check"),
        summary: "Check a command (or any text an operation will act on) for destructive operations at your trust level before running it.",
        input: .properties(
            .init("operation_text", .text, "The command, script or text to check (shell is parsed: wrappers, quoting and chains are seen through).",
                  required: true),
            .init("file_paths", .texts, "Files the operation touches (checked for credential files).")
        )
    ) { input, context, coordinator in
        let subject = GuardrailSubject(text: try input.requiredString("operation_text"), filePaths: input.strings("file_paths") ?? [])
        return try await coordinator.guardrails.check(subject, context: context, origin: "check_guardrails").json
    }

    static let patterns = CoordinatorOperation(
        "list_guardrails", .read, route: .get("/guardrails/patterns"),
        summary: "The guardrail patterns in force: name, category, severity, trust threshold, and where they were read from.",
        input: .properties()
    ) { _, context, coordinator in
        let loaded = try await coordinator.guardrails.patterns(now: context.clock.now())
        return [
            "patterns": .array(loaded.matcher.patterns.map(\.json)), "source": .string(loaded.source),
            "errors": .array(loaded.matcher.errors.map { ["name": .string($0.name), "message": .string($0.message)] }),
        ]
    }
}
