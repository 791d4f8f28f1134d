import Foundation

/// Where the Cedar reference data lives: the integration-test corpus and the hand-written tests and sample data copied
/// to `shared/cedar` beside this repository (`$CEDAR_SHARED_DIR` overrides it).
///
/// The corpus archive is extracted once per test process into a temporary folder that every corpus test reads and
/// that is removed when the process exits.
enum CedarTestData {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static let shared: URL = {
        if let explicit = ProcessInfo.processInfo.environment["CEDAR_SHARED_DIR"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/cedar")
    }()

    static let archive = shared.appendingPathComponent("corpus-tests.tar.gz")
    static let handWrittenTests = shared.appendingPathComponent("tests")
    static let sampleData = shared.appendingPathComponent("sample-data")

    /// True when the reference data is present (tests that need it are skipped, with this reason, when it is not).
    static let available = FileManager.default.fileExists(atPath: archive.path)

    struct ExtractionFailed: Error, CustomStringConvertible {
        var description: String
    }

    private static let extraction: Result<URL, ExtractionFailed> = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cedar-corpus-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let tar = Process()
            tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            tar.arguments = ["tar", "-xzf", archive.path, "-C", directory.path]
            try tar.run()
            tar.waitUntilExit()
            guard tar.terminationStatus == 0 else {
                throw ExtractionFailed(description: "tar exited with status \(tar.terminationStatus) extracting \(archive.path)")
            }
        } catch {
            try? FileManager.default.removeItem(at: directory)
            return .failure(error as? ExtractionFailed ?? ExtractionFailed(description: "\(error)"))
        }
        extractionPath = directory.path
        atexit { if let path = CedarTestData.extractionPath { try? FileManager.default.removeItem(atPath: path) } }
        return .success(directory)
    }()

    nonisolated(unsafe) private static var extractionPath: String?

    /// The folder holding `corpus-tests/` (extracted on first use, shared by every corpus test of this process).
    static func extractedCorpus() throws -> URL { try extraction.get() }

    /// A path written in an integration test file (relative to the corpus repository's root): `corpus-tests/…` inside
    /// the extracted archive, anything else (`sample-data/…`, `tests/…`) under `shared/cedar`.
    static func resolve(_ path: String, corpus: URL?) -> URL {
        if path.hasPrefix("corpus-tests/"), let corpus { return corpus.appendingPathComponent(path) }
        return shared.appendingPathComponent(path)
    }
}
