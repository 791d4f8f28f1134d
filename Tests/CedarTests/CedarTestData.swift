import Foundation
import Synchronization

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

    /// Started on first use; every corpus test awaits the same extraction. `tar` runs as a child process awaited through
    /// its termination handler, so no test thread blocks while it runs.
    private static let extraction = Task<URL, any Error> {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cedar-corpus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            let tar = Process()
            tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            tar.arguments = ["tar", "-xzf", archive.path, "-C", directory.path]
            tar.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try tar.run() } catch { continuation.resume(throwing: error) }
        }
        guard status == 0 else {
            try? FileManager.default.removeItem(at: directory)
            throw ExtractionFailed(description: "tar exited with status \(status) extracting \(archive.path)")
        }
        extractionPath.withLock { $0 = directory.path }
        atexit { if let path = CedarTestData.extractionPath.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: path) } }
        return directory
    }

    private static let extractionPath = Mutex<String?>(nil)

    /// The folder holding `corpus-tests/` (extracted on first use, shared by every corpus test of this process).
    static func extractedCorpus() async throws -> URL { try await extraction.value }

    /// Lets other tests run between items of a long CPU-bound loop: the cooperative pool has one thread per core, and
    /// a corpus replay holding both for a minute would starve every timing-sensitive test running beside it.
    static func yieldEvery(_ count: Int, _ index: Int) async {
        if index % count == 0 { await Task.yield() }
    }

    /// A path written in an integration test file (relative to the corpus repository's root): `corpus-tests/…` inside
    /// the extracted archive, anything else (`sample-data/…`, `tests/…`) under `shared/cedar`.
    static func resolve(_ path: String, corpus: URL?) -> URL {
        if path.hasPrefix("corpus-tests/"), let corpus { return corpus.appendingPathComponent(path) }
        return shared.appendingPathComponent(path)
    }
}
