import Foundation
import Testing
@testable import Cedar

@Suite("Cedar integration-test corpus: every policy parses")
struct SyntaxCorpusTests {
    @Test(.enabled(if: CedarTestData.available, "needs shared/cedar"))
    func corpusPoliciesParse() async throws {
        let directory = try await CedarTestData.extractedCorpus()

        var files: [URL] = []
        if let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) {
            for case let url as URL in walker where url.pathExtension == "cedar" { files.append(url) }
        }
        var parsed: [String: PolicySet] = [:]
        var failures: [String] = []
        for (index, file) in files.enumerated() {
            await CedarTestData.yieldEvery(64, index)
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
