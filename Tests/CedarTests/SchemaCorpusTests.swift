import Cedar
import Foundation
import Testing

/// Parses every `.cedarschema` of the integration-test corpus (all 7,809 are accepted by cedarpy 4.12.2).
@Suite("Cedar schemas: integration-test corpus")
struct SchemaCorpusTests {
    static let archive = "/work/shared/cedar/corpus-tests.tar.gz"

    @Test(.enabled(if: FileManager.default.fileExists(atPath: archive)))
    func everyCorpusSchemaParses() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("cedar-schema-corpus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "xzf", Self.archive, "-C", directory.path]
        try tar.run()
        tar.waitUntilExit()
        #expect(tar.terminationStatus == 0)

        let root = directory.appendingPathComponent("corpus-tests")
        let files = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".cedarschema") }
        var parsed = 0
        var failures: [String] = []
        for file in files {
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
