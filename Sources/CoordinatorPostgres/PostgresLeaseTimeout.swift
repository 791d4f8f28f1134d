import PostgresNIO
import Synchronization

/// Bounded waits around the pool.
///
/// `PostgresClient` queues a request while it cannot open connections and only fails it when its circuit
/// breaker trips (after about a minute). The coordinator prefers to answer "unavailable" sooner, but it must
/// never abandon a statement that is already running (an abandoned `claim_task` would still commit). So only
/// the *wait for a connection* is bounded: once a connection is leased the statement runs to completion.
enum PostgresLeaseTimeout {
    /// Thrown when no connection was leased within the wait.
    struct Expired: Error {}

    /// Runs `body` on a leased connection; throws ``Expired`` when no connection could be leased within `wait`.
    static func withConnection<Result: Sendable>(
        _ client: PostgresClient,
        wait: Duration,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let race = LeaseRace()
        return try await withThrowingTaskGroup(of: Outcome<Result>.self) { group in
            group.addTask {
                let value = try await client.withConnection { connection in
                    guard race.claim(.leased) else { throw Expired() }
                    return try await body(connection)
                }
                return .finished(value)
            }
            group.addTask {
                try? await Task.sleep(for: wait)
                // A cancelled sleep means the work finished first; claiming then fails because it is leased.
                if race.claim(.expired) { throw Expired() }
                return .timerDone
            }
            while let outcome = try await group.next() {
                if case .finished(let value) = outcome {
                    group.cancelAll()
                    return value
                }
            }
            throw Expired()  // unreachable: the work task either finishes or throws
        }
    }

    /// Runs `operation` but gives up after `limit` (returning `nil`), leaving it to finish in the background.
    /// For side-effect-free probes only (`SELECT 1`): PostgresNIO does not cancel a running statement.
    static func withDeadline<Value: Sendable>(
        _ limit: Duration,
        _ operation: @escaping @Sendable () async throws -> Value
    ) async throws -> Value? {
        let once = ResumeOnce<Value?>()
        return try await withCheckedThrowingContinuation { continuation in
            once.install(continuation)
            let work = Task {
                do {
                    once.resume(with: .success(try await operation()))
                } catch {
                    once.resume(with: .failure(error))
                }
            }
            Task {
                try? await Task.sleep(for: limit)
                if once.resume(with: .success(nil)) { work.cancel() }
            }
        }
    }

    private enum Outcome<Value: Sendable>: Sendable {
        case finished(Value)
        case timerDone
    }

    /// Who got there first: the lease or the timer. Exactly one side wins.
    private final class LeaseRace: Sendable {
        enum State { case waiting, leased, expired }
        private let state = Mutex(State.waiting)

        /// True when `outcome` is the first to be claimed.
        func claim(_ outcome: State) -> Bool {
            state.withLock { current in
                guard current == .waiting else { return false }
                current = outcome
                return true
            }
        }
    }

    /// A continuation that is resumed exactly once, by whichever side comes first. It is installed before either
    /// side starts.
    private final class ResumeOnce<Value: Sendable>: Sendable {
        private let slot = Mutex<CheckedContinuation<Value, any Error>?>(nil)

        func install(_ continuation: CheckedContinuation<Value, any Error>) {
            slot.withLock { $0 = continuation }
        }

        /// True when this call resumed the continuation (false: the other side already did).
        @discardableResult
        func resume(with result: Result<Value, any Error>) -> Bool {
            guard let continuation = slot.withLock({ state in
                defer { state = nil }
                return state
            }) else { return false }
            continuation.resume(with: result)
            return true
        }
    }
}
