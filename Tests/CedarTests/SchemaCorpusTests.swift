import Cedar
import Foundation
import Testing

/// Parses every `.cedarschema` of the integration-test corpus (all 7,809 are accepted by cedarpy 4.12.2).
@Suite("Cedar schemas: integration-test corpus")
struct SchemaCorpusTests {

    @Test(.enabled(if: CedarTestData.available, "needs shared/cedar"))
    func everyCorpusSchemaParses() async throws {
        let directory = try await CedarTestData.extractedCorpus()

        let root = directory.appendingPathComponent("corpus-tests")
        let files = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".cedarschema") }
        var parsed = 0
        var failures: [String] = []
        for (index, file) in files.enumerated() {
            await CedarTestData.yieldEvery(64, index)
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            do {
                _ = try Schema(cedarSchema: text)
                parsed += 1
            } catch {
                failures.append("\(file): \(error)")
            }
        }
        print("corpus schemas parsed: \(parsed) of \(files.count)")
        #expect(files.count == 7809)
        #expect(parsed == files.count, "\(failures.prefix(10))")
    }
}
