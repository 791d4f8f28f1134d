import CoordinatorCore
import Foundation
import Synchronization

/// A database client that passes calls to a real one, except where a test makes it fail, hang or pause.
final class ScriptedDatabase: DatabaseClient {
    enum PingBehaviour: Sendable { case answer, fail, hang }
    enum RPCBehaviour: Sendable { case answer, unavailable, crash }

    let base: any DatabaseClient
    private let state = Mutex<(ping: PingBehaviour, rpc: RPCBehaviour, rpcDelay: Duration?)>((.answer, .answer, nil))
    /// Yields once each time an `rpc` call has started (before any delay).
    let rpcStarted: AsyncStream<String>
    private let rpcStartedContinuation: AsyncStream<String>.Continuation

    init(_ base: any DatabaseClient) {
        self.base = base
        (rpcStarted, rpcStartedContinuation) = AsyncStream<String>.makeStream()
    }

    var backendName: String { base.backendName }

    func setPing(_ behaviour: PingBehaviour) { state.withLock { $0.ping = behaviour } }
    func setRPC(_ behaviour: RPCBehaviour) { state.withLock { $0.rpc = behaviour } }
    func setRPCDelay(_ delay: Duration?) { state.withLock { $0.rpcDelay = delay } }

    struct Crash: Error {}

    func rpc(_ function: String, _ parameters: JSONObject) async throws -> JSONValue {
        let (behaviour, delay) = state.withLock { ($0.rpc, $0.rpcDelay) }
        rpcStartedContinuation.yield(function)
        if let delay { try await Task.sleep(for: delay) }
        switch behaviour {
        case .answer: return try await base.rpc(function, parameters)
        case .unavailable: throw DatabaseError(.unavailable, backend: backendName, "connection refused")
        case .crash: throw Crash()
        }
    }

    func query(_ table: String, filter: RowFilter, select: [String]?) async throws -> [JSONObject] {
        try await base.query(table, filter: filter, select: select)
    }

    func insert(_ table: String, row: JSONObject, returning: Bool) async throws -> JSONObject? {
        try await base.insert(table, row: row, returning: returning)
    }

    func update(_ table: String, filter: RowFilter, values: JSONObject, returning: Bool) async throws -> [JSONObject] {
        try await base.update(table, filter: filter, values: values, returning: returning)
    }

    func delete(_ table: String, filter: RowFilter) async throws -> Int? {
        try await base.delete(table, filter: filter)
    }

    func ping() async throws {
        switch state.withLock({ $0.ping }) {
        case .answer: try await base.ping()
        case .fail: throw DatabaseError(.unavailable, backend: backendName, "connection refused")
        case .hang:
            // Ignores cancellation on purpose: the probe must give up on its own.
            let until = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < until { try? await Task.sleep(for: .milliseconds(50)) }
        }
    }

    func close() async throws { try await base.close() }
}
