import Cedar
import Foundation
import Testing

/// Validates every test of the integration-test corpus (policies against the test's `.cedarschema`) and compares the
/// verdict with the test's `shouldValidate`, which cedarpy 4.12.2 reproduces on all 7,809 tests.
///
/// Agreement is reported per side: a validator that always passes would agree on the 6,190 `shouldValidate: true`
/// tests and on none of the 1,619 `false` ones (79% overall), so each side has its own floor.
@Suite("Cedar validator: integration-test corpus")
struct ValidatorCorpusTests {

    /// Floors at the agreement reached; raise them as the validator improves.
    static let trueSideFloor = 6190
    static let falseSideFloor = 1619

    @Test(.enabled(if: CedarTestData.available, "needs shared/cedar"))
    func corpusVerdictsAgree() async throws {
        let start = ContinuousClock.now
        let directory = try await CedarTestData.extractedCorpus()
        let extracted = ContinuousClock.now

        let root = directory.appendingPathComponent("corpus-tests")
        let tests = try FileManager.default.contentsOfDirectory(atPath: root.path)
            .filter { $0.hasSuffix(".json") && !$0.hasSuffix(".entities.json") }
            .sorted()
        var trueTotal = 0, trueAgree = 0, falseTotal = 0, falseAgree = 0
        var disagreements: [String] = []
        var validationTime = Duration.zero
        for (index, test) in tests.enumerated() {
            await CedarTestData.yieldEvery(64, index)
            let data = try Data(contentsOf: root.appendingPathComponent(test))
            let json = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
            let shouldValidate = try #require(json["shouldValidate"] as? Bool)
            let base = String(test.dropLast(".json".count))
            let policyText = try String(contentsOf: root.appendingPathComponent(base + ".cedar"), encoding: .utf8)
            let schemaText = try String(
                contentsOf: root.appendingPathComponent(base + ".cedarschema"), encoding: .utf8)
            let schema = try Schema(cedarSchema: schemaText)
            let policies = try PolicySet.parse(policyText)
            let before = ContinuousClock.now
            let result = Validator.validate(policies, schema: schema)
            validationTime += ContinuousClock.now - before
            if shouldValidate {
                trueTotal += 1
                if result.passed { trueAgree += 1 }
            } else {
                falseTotal += 1
                if !result.passed { falseAgree += 1 }
            }
            if result.passed != shouldValidate {
                let detail = result.errors.first?.message ?? "(passed)"
                disagreements.append("\(base) shouldValidate=\(shouldValidate) \(detail)")
            }
        }
        let finished = ContinuousClock.now
        print(
            "validator corpus: shouldValidate=true agree \(trueAgree)/\(trueTotal), "
                + "shouldValidate=false agree \(falseAgree)/\(falseTotal); "
                + "extract \(extracted - start), total \(finished - start), in Validator.validate \(validationTime)")
        for line in disagreements.prefix(20) { print("  disagreement: \(line)") }
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("cedar-validator-disagreements.txt")
        try? disagreements.joined(separator: "\n").write(to: report, atomically: true, encoding: .utf8)
        #expect(tests.count == 7809)
        #expect(trueAgree >= Self.trueSideFloor)
        #expect(falseAgree >= Self.falseSideFloor)
    }

    /// The 22 hand-written integration tests (`tests/{decimal,example_use_cases,ip,multi}`) all have
    /// `shouldValidate: true`, and cedarpy 4.12.2 validates each of them.
    @Test(.enabled(if: CedarTestData.available, "needs shared/cedar"))
    func handWrittenTestsValidate() throws {
        let base = CedarTestData.shared
        var count = 0
        for folder in ["decimal", "example_use_cases", "ip", "multi"] {
            let directory = base.appendingPathComponent("tests/\(folder)")
            for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) where file.hasSuffix(".json") {
                let data = try Data(contentsOf: directory.appendingPathComponent(file))
                let json = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
                let policyPath = try #require(json["policies"] as? String)
                let schemaPath = try #require(json["schema"] as? String)
                let schema = try Schema(
                    cedarSchema: String(contentsOf: base.appendingPathComponent(schemaPath), encoding: .utf8))
                let policies = try PolicySet.parse(
                    String(contentsOf: base.appendingPathComponent(policyPath), encoding: .utf8))
                let result = Validator.validate(policies, schema: schema)
                #expect(result.passed == (json["shouldValidate"] as? Bool ?? true), "\(folder)/\(file): \(result.errors)")
                count += 1
            }
        }
        #expect(count == 22)
    }
}
