import Foundation
import Testing

@testable import Cedar

/// Replays the integration tests (the 22 hand-written ones and the 7,809 generated corpus tests) through the
/// authorizer, as `cedar-testing/src/integration_testing.rs` does: policies parsed as one set, the schema from the
/// `.cedarschema`, entities read with the schema, each context read with its action's context type, requests validated
/// when `validateRequest` says so; then the decision, the set of reasons and the set of erroring policy ids are
/// compared. (Validation — `shouldValidate` — is the validator's business and is not checked here.)
@Suite("Cedar authorization: integration tests replay")
struct CorpusAuthorizationTests {
    /// The counts reached so far; a regression below them fails the test.
    static let handWrittenFloor = (requests: 74, tests: 22)
    static let corpusFloor = (requests: 62_472, tests: 7_809)

    @Test(.enabled(if: CedarTestData.available, "needs shared/cedar"))
    func handWrittenTests() throws {
        var files: [URL] = []
        if let walker = FileManager.default.enumerator(at: CedarTestData.handWrittenTests, includingPropertiesForKeys: nil)
        {
            for case let url as URL in walker where url.pathExtension == "json" { files.append(url) }
        }
        files.sort { $0.path < $1.path }
        var replay = CorpusReplay { CedarTestData.resolve($0, corpus: nil) }
        for file in files { replay.run(testFile: file) }
        replay.report(title: "hand-written")
        #expect(files.count == 22)
        #expect(replay.requestPasses >= Self.handWrittenFloor.requests)
        #expect(replay.testPasses >= Self.handWrittenFloor.tests)
    }

    @Test(.enabled(if: CedarTestData.available, "needs shared/cedar"))
    func corpusTests() async throws {
        let started = ContinuousClock.now
        let directory = try await CedarTestData.extractedCorpus()
        let extracted = ContinuousClock.now
        let root = directory.appendingPathComponent("corpus-tests")
        let files = try FileManager.default.contentsOfDirectory(atPath: root.path)
            .filter { $0.hasSuffix(".json") && !$0.hasSuffix(".entities.json") }
            .sorted()
            .map { root.appendingPathComponent($0) }
        var replay = CorpusReplay { CedarTestData.resolve($0, corpus: directory) }
        for (index, file) in files.enumerated() {
            await CedarTestData.yieldEvery(16, index)
            replay.run(testFile: file)
        }
        replay.report(title: "corpus")
        print("corpus replay: extraction \(extracted - started), replay \(ContinuousClock.now - extracted)")
        #expect(files.count == 7_809)
        #expect(replay.requests == 62_472)
        #expect(replay.expectedAllows == 37_232)
        #expect(replay.expectedErrorRequests == 3_782)
        #expect(replay.requestPasses >= Self.corpusFloor.requests)
        #expect(replay.testPasses >= Self.corpusFloor.tests)
    }
}

/// Runs integration tests and tallies passes and failures (grouped by a short reason).
struct CorpusReplay {
    /// Maps a path from a test file (relative to the integration-test repository root) to a file.
    let resolve: (String) -> URL
    private(set) var requests = 0
    private(set) var requestPasses = 0
    private(set) var tests = 0
    private(set) var testPasses = 0
    /// Requests expecting allow, and requests expecting at least one erroring policy (to show the expectations
    /// were read).
    private(set) var expectedAllows = 0
    private(set) var expectedErrorRequests = 0
    /// Failure group → (failed requests, an example).
    private(set) var failures: [String: (count: Int, example: String)] = [:]

    init(resolve: @escaping (String) -> URL) { self.resolve = resolve }

    private mutating func fail(_ group: String, _ example: @autoclosure () -> String, requests count: Int = 1) {
        if let existing = failures[group] {
            failures[group] = (existing.count + count, existing.example)
        } else {
            failures[group] = (count, example())
        }
    }

    private func read(_ path: String) throws -> String { try String(contentsOf: resolve(path), encoding: .utf8) }

    mutating func run(testFile: URL) {
        tests += 1
        let name = testFile.lastPathComponent
        guard let data = try? Data(contentsOf: testFile), let test = try? TestJSON.parse(data),
            let policiesPath = test["policies"]?.string, let entitiesPath = test["entities"]?.string,
            let schemaPath = test["schema"]?.string, let jsonRequests = test["requests"]?.array
        else {
            fail("unreadable test file", name)
            return
        }
        requests += jsonRequests.count
        let policies: PolicySet
        let schema: Schema
        let entities: Entities
        do {
            policies = try PolicySet.parse(try read(policiesPath))
        } catch {
            fail("policy parse error", "\(name): \(error)", requests: jsonRequests.count)
            return
        }
        do {
            schema = try Schema(cedarSchema: try read(schemaPath))
        } catch {
            fail("schema error", "\(name): \(error)", requests: jsonRequests.count)
            return
        }
        do {
            entities = try schema.entities(fromJSON: try read(entitiesPath))
        } catch {
            fail("entities rejected: \(Self.category(String(describing: error)))", "\(name): \(error)",
                requests: jsonRequests.count)
            return
        }
        var allPassed = true
        for (index, jsonRequest) in jsonRequests.enumerated() {
            if check(jsonRequest, policies: policies, schema: schema, entities: entities, label: "\(name) #\(index)") {
                requestPasses += 1
            } else {
                allPassed = false
            }
        }
        if allPassed { testPasses += 1 }
    }

    private mutating func check(
        _ json: TestJSON, policies: PolicySet, schema: Schema, entities: Entities, label: String
    ) -> Bool {
        guard let principal = json["principal"]?.entityUID, let action = json["action"]?.entityUID,
            let resource = json["resource"]?.entityUID, let expectedDecision = json["decision"]?.string
        else {
            fail("unreadable request", label)
            return false
        }
        let context: CedarRecord
        do {
            context = try CedarRecord.contextFromJSON(
                json["context"]?.jsonText ?? "{}", attributeHints: schema.contextHints(for: action))
        } catch {
            fail("context rejected", "\(label): \(error)")
            return false
        }
        let validate = json["validateRequest"]?.bool ?? true
        let request = Request(principal: principal, action: action, resource: resource, context: context)
        let response = Authorizer.isAuthorized(
            request: request, policies: policies, entities: entities, schema: validate ? schema : nil)
        if let problem = response.requestError {
            fail("request rejected: \(Self.category(problem))", "\(label): \(problem)")
            return false
        }
        let expectedReasons = Set((json["reason"]?.array ?? []).compactMap(\.string))
        let expectedErrors = Set((json["errors"]?.array ?? []).compactMap(\.string))
        if expectedDecision.lowercased() == "allow" { expectedAllows += 1 }
        if !expectedErrors.isEmpty { expectedErrorRequests += 1 }
        let policyText = policies.policies.map { PolicyFormatter.format($0) }.joined(separator: "\n")
        let errorText = response.errors.map(\.description).joined(separator: "; ")
        if response.erroringPolicyIDs != expectedErrors {
            if expectedErrors.isSubset(of: response.erroringPolicyIDs) {
                let message = response.errors.first { !expectedErrors.contains($0.policyID) }?.message ?? ""
                fail("unexpected error: \(Self.category(message))", "\(label): \(errorText)\n\(policyText)")
            } else {
                fail("missing error", "\(label): expected errors \(expectedErrors.sorted())\n\(policyText)")
            }
            return false
        }
        if response.decision.rawValue != expectedDecision.lowercased() {
            fail("wrong decision (\(response.decision))", "\(label): \(request)\n\(policyText)")
            return false
        }
        if response.reasons != expectedReasons {
            fail("wrong reasons", "\(label): got \(response.reasons.sorted()), expected \(expectedReasons.sorted())")
            return false
        }
        return true
    }

    /// A message shortened to its kind: the text before the first quoted part, at most 60 characters.
    static func category(_ message: String) -> String {
        let cut = message.split(separator: "`", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return String(cut.prefix(60))
    }

    func report(title: String) {
        print(
            "\(title): requests \(requestPasses)/\(requests) pass; tests \(testPasses)/\(tests) pass "
                + "(expected: \(expectedAllows) allow, \(expectedErrorRequests) with errors)")
        for (group, entry) in failures.sorted(by: { $0.value.count > $1.value.count }).prefix(25) {
            print("  \(entry.count) × \(group)\n      e.g. \(entry.example.prefix(600))")
        }
    }
}
