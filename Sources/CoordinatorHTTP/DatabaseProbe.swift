import CoordinatorCore
import Synchronization

/// Asks the database whether it answers, giving up after a timeout even when the backend ignores cancellation.
struct DatabaseProbe: Sendable {
    let database: any DatabaseClient
    let timeout: Duration

    /// `true` when `ping()` succeeded within the timeout.
    func isReachable() async -> Bool {
        let database = self.database
        let timeout = self.timeout
        let pending = Mutex<CheckedContinuation<Bool, Never>?>(nil)
        let finish: @Sendable (Bool) -> Void = { reachable in
            pending.withLock { continuation in
                continuation?.resume(returning: reachable)
                continuation = nil
            }
        }
        return await withCheckedContinuation { continuation in
            pending.withLock { $0 = continuation }
            let timer = Task {
                try? await Task.sleep(for: timeout)
                finish(false)
            }
            Task {
                let reachable: Bool
                do {
                    try await database.ping()
                    reachable = true
                } catch {
                    reachable = false
                }
                finish(reachable)
                timer.cancel()
            }
        }
    }
}
