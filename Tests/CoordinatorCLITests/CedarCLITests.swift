import CoordinatorCore
import Foundation
import Testing

/// The hand-written Cedar tests and sample data in `shared/cedar` beside this repository (`$CEDAR_SHARED_DIR`
/// overrides it); tests that need them are skipped when they are absent.
enum CedarSharedData {
    static let root: URL = {
        if let explicit = ProcessInfo.processInfo.environment["CEDAR_SHARED_DIR"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit)
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/cedar")
    }()

    static let available = FileManager.default.fileExists(atPath: root.appendingPathComponent("sample-data/sandbox_a").path)

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// One request of a hand-written test (`tests/…/N.json`), with its expected decision.
    struct Case: Sendable, CustomTestStringConvertible {
        let test: String
        let index: Int
        var testDescription: String { "\(test)#\(index)" }
    }

    static func requests(_ test: String) throws -> (spec: JSONValue, requests: [JSONValue]) {
        let spec = try JSONValue(jsonText: String(contentsOfFile: path(test), encoding: .utf8))
        return (spec, spec["requests"]?.arrayValue ?? [])
    }
}

extension CoordinatorProcess {
    /// Runs `coordinator <arguments>` with `input` on standard input.
    func run(_ arguments: [String], input: String, timeout: TimeInterval = 60) throws -> Outcome {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = folder
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        let data = Data(input.utf8)
        let writer = Thread {
            stdin.fileHandleForWriting.write(data)
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let errorBox = CedarDataBox()
        let errorReader = Thread { errorBox.data = stderr.fileHandleForReading.readDataToEndOfFile(); errorBox.done.signal() }
        errorReader.start()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        errorBox.done.wait()
        process.waitUntilExit()
        watchdog.cancel()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                       stderr: String(decoding: errorBox.data, as: UTF8.self))
    }

    /// Writes `text` to a file in the private folder and returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }
}

private final class CedarDataBox: @unchecked Sendable {
    var data = Data()
    let done = DispatchSemaphore(value: 0)
}

@Suite("coordinator cedar …, run as a real process")
struct CedarCLITests {
    static let sandboxA = (entities: CedarSharedData.path("sample-data/sandbox_a/entities.json"),
                           schema: CedarSharedData.path("sample-data/sandbox_a/schema.cedarschema"))
    static let context = #"{"source_ip": "123.123.123.123", "confidence_score": "0.6", "authenticated": true}"#

    /// `authorize` arguments for a request of a hand-written test, with the test's policies, entities and schema.
    static func authorizeArguments(_ cli: CoordinatorProcess, test: String, index: Int) throws -> (arguments: [String], expected: JSONValue) {
        let (spec, requests) = try CedarSharedData.requests(test)
        let request = requests[index]
        func uid(_ key: String) -> String {
            "\(request[key]?["type"]?.stringValue ?? "")::\"\(request[key]?["id"]?.stringValue ?? "")\""
        }
        let context = try cli.write("context.json", (request["context"] ?? .object([:])).jsonText)
        let arguments = ["cedar", "authorize",
                         "--policies", CedarSharedData.path(spec["policies"]?.stringValue ?? ""),
                         "--entities", CedarSharedData.path(spec["entities"]?.stringValue ?? ""),
                         "--schema", CedarSharedData.path(spec["schema"]?.stringValue ?? ""),
                         "--principal", uid("principal"), "--action", uid("action"), "--resource", uid("resource"),
                         "--context", context]
        return (arguments, request)
    }

    static let cases: [CedarSharedData.Case] = ["tests/example_use_cases/1a.json", "tests/multi/1.json", "tests/ip/1.json"]
        .flatMap { test in
            let count = (try? CedarSharedData.requests(test).requests.count) ?? 0
            return (0..<count).map { CedarSharedData.Case(test: test, index: $0) }
        }

    @Test(.enabled(if: CedarSharedData.available, "needs shared/cedar"), arguments: cases)
    func authorizeMatchesTheHandWrittenTests(_ testCase: CedarSharedData.Case) throws {
        let cli = try CoordinatorProcess()
        defer { cli.remove() }
        let (arguments, expected) = try Self.authorizeArguments(cli, test: testCase.test, index: testCase.index)
        let decision = try #require(expected["decision"]?.stringValue)

        let text = try cli.run(arguments)
        #expect(text.status == (decision == "allow" ? 0 : 2), "\(text.stderr)")
        #expect(text.stdout.hasPrefix(decision == "allow" ? "ALLOW\n" : "DENY\n"))

        let json = try cli.run(arguments + ["--json"])
        #expect(json.status == text.status)
        #expect(try json.json["decision"] == expected["decision"])
        let reasons = try Set(json.json["reasons"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        #expect(reasons == Set(expected["reason"]?.arrayValue?.compactMap(\.stringValue) ?? []))
        #expect(try json.json["errors"] == .array([]))
        #expect(try json.json["request_error"] == false)
    }

    @Test(.enabled(if: CedarSharedData.available, "needs shared/cedar"))
    func authorizeAllowAndDenyAsText() throws {
        let cli = try CoordinatorProcess()
        defer { cli.remove() }
        let policies = try cli.write("p.cedar", """
            permit (principal == User::"alice", action == Action::"view", resource);
            forbid (principal, action, resource) when { context.authenticated == false };
            permit (principal, action, resource) when { principal.nope };
            """)
        let context = try cli.write("context.json", Self.context)
        func run(_ principal: String, context: String) throws -> CoordinatorProcess.Outcome {
            try cli.run(["cedar", "authorize", "--policies", policies, "--entities", Self.sandboxA.entities,
                         "--schema", Self.sandboxA.schema, "--principal", principal, "--action", #"Action::"view""#,
                         "--resource", #"Photo::"VacationPhoto94.jpg""#, "--context", context])
        }
        let allowed = try run(#"User::"alice""#, context: context)
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stdout.hasPrefix("ALLOW\nreasons: policy0\n"))
        #expect(allowed.stdout.contains("error in policy2: "), "the erroring permit is reported and skipped")

        let unauthenticated = try cli.write("context2.json", Self.context.replacingOccurrences(of: "true", with: "false"))
        let denied = try run(#"User::"alice""#, context: unauthenticated)
        #expect(denied.status == 2)
        #expect(denied.stdout.hasPrefix("DENY\nreasons: policy1\n"))
    }

    @Test(.enabled(if: CedarSharedData.available, "needs shared/cedar"))
    func authorizeInputErrorsExitOneNotTwo() throws {
        let cli = try CoordinatorProcess()
        defer { cli.remove() }
        let good = try cli.write("good.cedar", #"permit (principal, action, resource);"#)
        let bad = try cli.write("bad.cedar", #"permit (principal, action, resource"#)
        let context = try cli.write("context.json", Self.context)
        func arguments(policies: String, principal: String = #"User::"alice""#, schema: Bool = true, context: String? = nil) -> [String] {
            ["cedar", "authorize", "--policies", policies, "--entities", Self.sandboxA.entities]
                + (schema ? ["--schema", Self.sandboxA.schema] : [])
                + ["--principal", principal, "--action", #"Action::"view""#, "--resource", #"Photo::"VacationPhoto94.jpg""#]
                + (context.map { ["--context", $0] } ?? [])
        }
        #expect(try cli.run(arguments(policies: good, context: context)).status == 0)

        let missing = try cli.run(arguments(policies: cli.folder.appendingPathComponent("absent.cedar").path))
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("cannot read --policies file"))
        #expect(missing.stdout.isEmpty)

        let syntax = try cli.run(arguments(policies: bad, context: context))
        #expect(syntax.status == 1)
        #expect(syntax.stderr.contains("policy parse errors"))

        let badUID = try cli.run(arguments(policies: good, principal: "User::alice", context: context) + ["--json"])
        #expect(badUID.status == 1)
        #expect(try badUID.json["decision"] == "deny")
        #expect(try badUID.json["request_error"]?.stringValue?.contains("--principal") == true)

        // Valid files, but the context lacks what the schema requires for the action: not a decision.
        let invalidRequest = try cli.run(arguments(policies: good) + ["--json"])
        #expect(invalidRequest.status == 1)
        #expect(try invalidRequest.json["request_error"]?.stringValue?.contains("failed to build request") == true)
        // Without a schema the same request is decided.
        #expect(try cli.run(arguments(policies: good, schema: false)).status == 0)

        let usage = try cli.run(["cedar", "authorize", "--policies", good])
        #expect(usage.status == 2, "a usage error is 2, like DENY, but prints nothing on stdout")
        #expect(usage.stdout.isEmpty)
    }

    @Test(.enabled(if: CedarSharedData.available, "needs shared/cedar"))
    func validatePassesAndFails() throws {
        let cli = try CoordinatorProcess()
        defer { cli.remove() }
        let passed = try cli.run(["cedar", "validate", "--policies", CedarSharedData.path("tests/example_use_cases/policies_1a.cedar"),
                                  "--schema", Self.sandboxA.schema])
        #expect(passed.status == 0, "\(passed.stderr)")
        #expect(passed.stdout == "validation passed\n")

        let policies = try cli.write("p.cedar", """
            permit (principal == User::"alice", action == Action::"view", resource);
            permit (principal == Nobody::"x", action, resource);
            permit (principal, action, resource) when { principal.nope };
            """)
        let failed = try cli.run(["cedar", "validate", "--policies", policies, "--schema", Self.sandboxA.schema])
        #expect(failed.status == 3)
        #expect(failed.stdout.contains("policy1: "))
        #expect(failed.stdout.contains("Nobody"))
        #expect(!failed.stdout.contains("policy0: "))

        let json = try cli.run(["cedar", "validate", "--policies", policies, "--schema", Self.sandboxA.schema, "--json"])
        #expect(json.status == 3)
        #expect(try json.json["passed"] == false)
        let ids = try Set(json.json["errors"]?.arrayValue?.compactMap { $0["policy_id"]?.stringValue } ?? [])
        #expect(ids == ["policy1", "policy2"])

        let badSchema = try cli.write("s.cedarschema", "entity User in [")
        let unreadable = try cli.run(["cedar", "validate", "--policies", policies, "--schema", badSchema])
        #expect(unreadable.status == 1)
        #expect(unreadable.stderr.contains("schema parse errors"))
    }

    @Test func validateReadsAJSONSchema() throws {
        let cli = try CoordinatorProcess()
        defer { cli.remove() }
        let schema = try cli.write("schema.json", #"""
            {"": {"entityTypes": {"User": {}, "Doc": {}},
                  "actions": {"read": {"appliesTo": {"principalTypes": ["User"], "resourceTypes": ["Doc"]}}}}}
            """#)
        let good = try cli.write("good.cedar", #"permit (principal is User, action == Action::"read", resource is Doc);"#)
        let bad = try cli.write("bad.cedar", #"permit (principal is Doc, action == Action::"read", resource);"#)
        #expect(try cli.run(["cedar", "validate", "--policies", good, "--schema", schema]).status == 0)
        #expect(try cli.run(["cedar", "validate", "--policies", bad, "--schema", schema]).status == 3)
    }

    @Test func formatRoundTripAndCheck() throws {
        let cli = try CoordinatorProcess()
        defer { cli.remove() }
        let messy = try cli.write("messy.cedar", """
            @id("read")
            permit(principal==User::"alice",action in [Action::"view",Action::"edit"],resource)
              when {context.level>=2 && resource.owner==principal} ;
            forbid (principal, action, resource) unless { principal has "name" };
            """)
        let formatted = try cli.run(["cedar", "format", "--policies", messy])
        #expect(formatted.status == 0, "\(formatted.stderr)")
        #expect(formatted.stdout.contains("permit (\n  principal == User::\"alice\",\n"))
        #expect(try cli.run(["cedar", "format", "--check", "--policies", messy]).status == 1)

        let canonical = try cli.write("canonical.cedar", formatted.stdout)
        #expect(try cli.run(["cedar", "format", "--check", "--policies", canonical]).status == 0)
        let again = try cli.run(["cedar", "format"], input: formatted.stdout)
        #expect(again.status == 0)
        #expect(again.stdout == formatted.stdout, "formatting is idempotent")

        let broken = try cli.run(["cedar", "format"], input: "permit (principal")
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("policy parse errors"))
        #expect(try cli.run(["cedar", "format"], input: "// a comment\npermit (principal, action, resource);").stderr
            .contains("comments are not kept"))
    }

    @Test func batchAnswersEveryLineInOrder() throws {
        let cli = try CoordinatorProcess()
        defer { cli.remove() }
        let policies = #"permit (principal == User::"alice", action, resource); forbid (principal, action, resource) when { resource.secret };"#
        let schema = """
            entity User; entity Doc { secret: Bool };
            action read appliesTo { principal: [User], resource: [Doc] };
            """
        let entities: JSONValue = [
            ["uid": ["type": "User", "id": "alice"], "attrs": [:], "parents": []],
            ["uid": ["type": "Doc", "id": "open"], "attrs": ["secret": false], "parents": []],
            ["uid": ["type": "Doc", "id": "closed"], "attrs": ["secret": true], "parents": []],
        ]
        func request(_ principal: String, _ resource: String, action: String = "read") -> JSONObject {
            ["principal": ["type": "User", "id": .string(principal)], "action": ["type": "Action", "id": .string(action)],
             "resource": ["type": "Doc", "id": .string(resource)]]
        }
        func line(_ extra: JSONObject) -> String {
            var object: JSONObject = ["policies": .string(policies), "entities": entities, "schema": .string(schema)]
            object.merge(extra) { _, new in new }
            return JSONValue.object(object).jsonText
        }
        let lines = [
            line(request("alice", "open")),
            line(request("bob", "open").merging(["id": "second", "entities": .string(entities.jsonText)]) { _, new in new }),
            "{not json",
            line(["requests": [.object(request("alice", "closed")), .object(request("alice", "open", action: "write"))]]),
            line(request("alice", "open").merging(["policies": "permit (principal"]) { _, new in new }),
            #"{"policies": "permit (principal, action, resource);"}"#,
            "",
            JSONValue.object(["op": "validate", "policies": .string(policies), "schema": .string(schema)]).jsonText,
            JSONValue.object(["op": "validate", "policies": "permit (principal, action, resource) when { principal.secret };",
                              "schema": .string(schema)]).jsonText,
            JSONValue.object(["op": "format", "policies": "permit(principal,action,resource);"]).jsonText,
            line(request("alice", "open").merging(["schema": .null, "entities": .null]) { _, new in new }),
        ]
        let outcome = try cli.run(["cedar", "batch"], input: lines.joined(separator: "\n") + "\n")
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let answers = try outcome.stdout.split(separator: "\n").map { try JSONValue(jsonText: String($0)) }
        try #require(answers.count == 10, "one answer per non-blank line: \(outcome.stdout)")

        #expect(answers[0] == ["decision": "allow", "reasons": ["policy0"], "errors": [], "request_error": false])
        #expect(answers[1]["id"] == "second")
        #expect(answers[1]["decision"] == "deny")
        #expect(answers[2]["line"] == 3)
        #expect(answers[2]["error"]?.stringValue?.contains("not JSON") == true)
        let results = try #require(answers[3]["results"]?.arrayValue)
        #expect(results.count == 2)
        #expect(results[0]["reasons"] == ["policy1"], "the forbid on the secret doc decides")
        #expect(results[0]["decision"] == "deny")
        #expect(results[1]["request_error"]?.stringValue != nil, "Action::\"write\" is not in the schema")
        #expect(answers[4]["request_error"]?.stringValue?.contains("policy parse errors") == true)
        #expect(answers[5]["error"]?.stringValue?.contains("principal") == true)
        #expect(answers[6] == ["passed": true, "errors": []])
        #expect(answers[7]["passed"] == false)
        #expect(answers[7]["errors"]?.arrayValue?.first?["policy_id"] == "policy0")
        #expect(answers[8]["formatted"] == "permit (\n  principal,\n  action,\n  resource\n);\n")
        // Without entities the scope-only permit still applies; the forbid reads an attribute of a missing entity,
        // errors and is skipped.
        #expect(answers[9]["decision"] == "allow")
        #expect(answers[9]["errors"]?.arrayValue?.first?["policy_id"] == "policy1")
    }
}
