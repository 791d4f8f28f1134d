import Foundation
import Testing
@testable import Cedar

@Suite("Cedar integration-test corpus: every policy parses")
struct SyntaxCorpusTests {
    static let archive = SyntaxFixtures.sharedCedar.appendingPathComponent("corpus-tests.tar.gz")

    @Test(.enabled(if: FileManager.default.fileExists(atPath: archive.path)))
    func corpusPoliciesParse() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cedar-corpus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "-xzf", Self.archive.path, "-C", directory.path, "--wildcards", "*.cedar"]
        try tar.run()
        tar.waitUntilExit()
        #expect(tar.terminationStatus == 0)

        var files: [URL] = []
        if let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) {
            for case let url as URL in walker where url.pathExtension == "cedar" { files.append(url) }
        }
        var parsed: [String: PolicySet] = [:]
        var failures: [String] = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            do {
                parsed[file.lastPathComponent] = try PolicySet.parse(text)
            } catch {
                failures.append("\(file.lastPathComponent): \(error)")
            }
        }
        print("corpus: \(parsed.count) of \(files.count) policy files parsed")
        #expect(files.count == 7809)
        #expect(failures.isEmpty, "\(failures.prefix(20).joined(separator: "\n"))")

        // Optional: EST comparison against tools/cedar/corpus_est.py output.
        if let estPath = ProcessInfo.processInfo.environment["CEDAR_CORPUS_EST"] {
            let lines = try String(contentsOfFile: estPath, encoding: .utf8).split(separator: "\n")
            var compared = 0
            var differences: [String] = []
            for line in lines {
                let record = try JSONValue.parse(String(line))
                guard let name = record["name"]?.stringValue, let est = record["est"], let set = parsed[name.string]
                else { continue }
                compared += 1
                if set.estJSON != est { differences.append(name.string) }
            }
            print("corpus EST: \(compared) compared, \(differences.count) differ")
            #expect(differences.isEmpty, "\(differences.prefix(20))")
        }
    }
}
