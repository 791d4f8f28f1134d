import Foundation
import Testing

@testable import Cedar

/// Cases the differential fuzzer (tools/cedar/fuzz) found where this engine and cedarpy 4.12.2 disagreed, shrunk and
/// saved in the integration-test format under Tests/Fixtures/cedar-regressions, with cedarpy's answer as the
/// expectation. A request whose input cedarpy refuses outright carries `"requestError": true`.
@Suite("Cedar: fuzzer regressions agree with cedarpy")
struct FuzzRegressionTests {
    static let folder = CedarTestData.repositoryRoot.appendingPathComponent("Tests/Fixtures/cedar-regressions")

    static var cases: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".json") && !$0.hasSuffix(".entities.json") }.sorted()
    }

    @Test(arguments: cases)
    func regression(_ file: String) throws {
        func text(_ path: CedarString?) throws -> String {
            let relative = try #require(path).string
            return try String(contentsOf: CedarTestData.repositoryRoot.appendingPathComponent(relative), encoding: .utf8)
        }
        let test = try JSONValue.parse(try String(contentsOf: Self.folder.appendingPathComponent(file), encoding: .utf8))
        let schema = try test["schema"].map { try Schema(cedarSchema: try text($0.stringValue)) }
        let policies = try text(test["policies"]?.stringValue)
        let entities = try text(test["entities"]?.stringValue)
        for (index, request) in (test["requests"]?.arrayValue ?? []).enumerated() {
            func uid(_ key: CedarString) throws -> EntityUID {
                let value = try #require(request[key])
                let type = try #require(value["type"]?.stringValue.flatMap { Name(qualified: $0.string) })
                return EntityUID(type: type, id: try #require(value["id"]?.stringValue))
            }
            let response = Authorizer.isAuthorized(
                principal: try uid("principal"), action: try uid("action"), resource: try uid("resource"),
                contextJSON: request["context"]?.description ?? "{}", policies: policies, entitiesJSON: entities,
                schema: schema)
            let label = "\(file) #\(index)"
            if request["requestError"]?.boolValue == true {
                #expect(response.requestError != nil, "\(label): cedarpy refuses the input; we decided \(response.decision)")
                continue
            }
            #expect(response.requestError == nil, "\(label): \(response.requestError ?? "")")
            let expectedDecision: Decision = request["decision"]?.stringValue == "allow" ? .allow : .deny
            #expect(response.decision == expectedDecision, "\(label)")
            let reasons = Set((request["reason"]?.arrayValue ?? []).compactMap { $0.stringValue?.string })
            let errors = Set((request["errors"]?.arrayValue ?? []).compactMap { $0.stringValue?.string })
            #expect(response.reasons == reasons, "\(label)")
            #expect(response.erroringPolicyIDs == errors, "\(label)")
        }
    }
}
