import Foundation
import Logging
import Synchronization

/// Figures of an ``AuditTrail``'s writes, for benchmarks and diagnostics.
public struct AuditTrailStatistics: Sendable, Equatable {
    /// Entries handed to the trail.
    public var recorded = 0
    /// Entries stored.
    public var written = 0
    /// Successful writes (each one round trip, one batch).
    public var batches = 0
    /// Time spent in successful writes, in seconds.
    public var writeSeconds = 0.0
    /// Durations of the successful writes (the first 100,000), in seconds.
    public var batchSeconds: [Double] = []
    /// Entries that could not be stored and were logged instead.
    public var lost = 0
    /// Write attempts that failed (each retried or, finally, logged).
    public var failedAttempts = 0
    /// Times a caller waited because the queue was full.
    public var waits = 0

    public init() {}
}

/// The audit trail: receives one record per dispatched operation and stores it in `audit_log`.
///
/// With ``AuditConfig/async`` (the default) a record is queued and the caller returns at once; a background writer
/// stores the queue in batches of up to ``AuditConfig/batchSize`` entries, one `record_audit_entries` round trip
/// per batch. The writer waits up to ``AuditConfig/flushIntervalMilliseconds`` for a batch to fill, and writes at
/// once when it is full or when someone flushes. The queue holds at most ``AuditConfig/queueCapacity`` entries: a
/// caller that finds it full **waits** until the writer has made room; nothing is dropped to keep up.
/// ``flush()`` returns once everything recorded before it has been written; ``shutdown()`` drains the queue and
/// stops the writer (later records are written synchronously). Without ``AuditConfig/async`` every record is
/// written before ``record(_:)`` returns.
///
/// A failed write is retried briefly (connection-type failures: 4 attempts over about 0.7 s; a batch the database
/// rejects is split in halves down to single entries, so one bad entry cannot sink its neighbours). An entry that
/// still cannot be stored is logged at `critical` level with its full JSON (label `coordinator.audit`), so the
/// record survives in the logs and can be replayed, and it is counted in ``AuditTrailStatistics/lost``. The
/// operation it describes has already happened; the trail never fails or blocks it for a write error.
///
/// Queueing takes a lock, not an actor hop: redaction and summarising run on the caller's task, and the writer is
/// woken only when a batch starts or fills.
public final class AuditTrail: OperationRecorder, Sendable {
    public let config: AuditConfig
    private let database: any DatabaseClient
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var queue: [JSONValue] = []
        /// Entries enqueued and entries finished (written or logged as lost), in queue order: flushes wait on these.
        var enqueued = 0
        var finished = 0
        var spaceWaiters: [CheckedContinuation<Void, Never>] = []
        var flushWaiters: [(target: Int, continuation: CheckedContinuation<Void, Never>)] = []
        var writer: Task<Void, Never>?
        var wake: CheckedContinuation<Void, Never>?
        var timer: Task<Void, Never>?
        var wakeGeneration = 0
        var closed = false
        var failing = false
        var statistics = AuditTrailStatistics()

        /// Resumes the writer if it is waiting; returns what to resume outside the lock.
        mutating func takeWake() -> CheckedContinuation<Void, Never>? {
            timer?.cancel()
            timer = nil
            defer { wake = nil }
            return wake
        }

        mutating func takeFinishedFlushes() -> [CheckedContinuation<Void, Never>] {
            guard !flushWaiters.isEmpty else { return [] }
            var ready: [CheckedContinuation<Void, Never>] = []
            var still: [(target: Int, continuation: CheckedContinuation<Void, Never>)] = []
            for waiter in flushWaiters {
                if waiter.target <= finished { ready.append(waiter.continuation) } else { still.append(waiter) }
            }
            flushWaiters = still
            return ready
        }
    }

    public init(database: any DatabaseClient, config: AuditConfig = AuditConfig(), logger: Logger = Logger(label: "coordinator.audit")) {
        self.database = database
        self.config = config
        self.logger = logger
    }

    /// Records one dispatched call (the ``OperationRecorder`` hook). Redaction and summarising run on the caller's task.
    public func record(_ record: OperationRecord) async {
        await submit(AuditEntry.json(for: record))
    }

    /// Queues (or, synchronously, writes) one entry in `record_audit_entries` form.
    public func submit(_ entry: JSONValue) async {
        enum Step { case queued(wake: CheckedContinuation<Void, Never>?, start: Bool), full, direct }
        while true {
            let step: Step = state.withLock { state in
                guard config.async, !state.closed else { return .direct }
                guard state.queue.count < config.queueCapacity else { return .full }
                state.queue.append(entry)
                state.enqueued += 1
                state.statistics.recorded += 1
                let start = state.writer == nil
                let wake = state.queue.count == 1 || state.queue.count >= config.batchSize ? state.takeWake() : nil
                return .queued(wake: wake, start: start)
            }
            switch step {
            case .queued(let wake, let start):
                if start { startWriter() }
                wake?.resume()
                return
            case .direct:
                state.withLock { $0.statistics.recorded += 1 }
                await persist([entry])
                return
            case .full:
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let (resumeNow, wake) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
                        guard state.queue.count >= config.queueCapacity, !state.closed else { return (true, nil) }
                        state.statistics.waits += 1
                        state.spaceWaiters.append(continuation)
                        return (false, state.takeWake())
                    }
                    wake?.resume()
                    if resumeNow { continuation.resume() }
                }
            }
        }
    }

    /// Returns once every entry recorded before this call has been written (or logged as lost).
    public func flush() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let (done, wake) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
                guard state.finished < state.enqueued else { return (true, nil) }
                state.flushWaiters.append((state.enqueued, continuation))
                return (false, state.takeWake())
            }
            wake?.resume()
            if done { continuation.resume() }
        }
    }

    /// Writes everything queued, then stops the background writer. Records that arrive later are written
    /// synchronously. Safe to call more than once.
    public func shutdown() async {
        let (writer, wake) = state.withLock { state in
            state.closed = true
            return (state.writer, state.takeWake())
        }
        wake?.resume()
        await writer?.value
        let waiting = state.withLock { state in
            defer { state.spaceWaiters.removeAll() }
            return state.spaceWaiters
        }
        for continuation in waiting { continuation.resume() }
    }

    /// The figures so far.
    public func currentStatistics() async -> AuditTrailStatistics { state.withLock { $0.statistics } }

    // MARK: - Writer

    private func startWriter() {
        let task = Task { await self.runWriter() }
        state.withLock { $0.writer = task }
    }

    private func runWriter() async {
        // True between a linger wait and the write that follows it.
        var lingered = false
        while true {
            enum Next { case wait(linger: Bool), write([JSONValue], [CheckedContinuation<Void, Never>]), stop([CheckedContinuation<Void, Never>]) }
            let next: Next = state.withLock { state in
                if state.queue.isEmpty {
                    return state.closed ? .stop(state.takeFinishedFlushes()) : .wait(linger: false)
                }
                let hurry = state.closed || !state.flushWaiters.isEmpty || !state.spaceWaiters.isEmpty
                if state.queue.count < config.batchSize, !hurry, config.flushIntervalMilliseconds > 0, !lingered {
                    return .wait(linger: true)
                }
                let batch = Array(state.queue.prefix(config.batchSize))
                state.queue.removeFirst(batch.count)
                defer { state.spaceWaiters.removeAll() }
                return .write(batch, state.spaceWaiters)
            }
            switch next {
            case .stop(let flushes):
                for continuation in flushes { continuation.resume() }
                return
            case .wait(let linger):
                await waitForWake(timeout: linger ? .milliseconds(config.flushIntervalMilliseconds) : nil)
                lingered = linger
            case .write(let batch, let spaceWaiters):
                lingered = false
                for continuation in spaceWaiters { continuation.resume() }
                await persist(batch)
                let flushes = state.withLock { state in
                    state.finished += batch.count
                    return state.takeFinishedFlushes()
                }
                for continuation in flushes { continuation.resume() }
            }
        }
    }

    /// Writes `batch`, retrying and splitting as described in the type's documentation; logs what cannot be stored.
    private func persist(_ batch: [JSONValue]) async {
        var attempt = 0
        while true {
            attempt += 1
            let started = ContinuousClock.now
            do {
                let answer = try await database.rpc("record_audit_entries", ["p_entries": .array(batch)])
                if answer["success"] == .bool(false) {
                    // A malformed entry: store the others, log that one.
                    let index = answer["index"]?.intValue ?? -1
                    state.withLock { $0.statistics.failedAttempts += 1 }
                    guard batch.indices.contains(index) else {
                        lose(batch, because: "the database refused the batch: \(answer.jsonText)")
                        return
                    }
                    lose([batch[index]], because: "the database refused the entry: \(answer.jsonText)")
                    let rest = Array(batch[..<index]) + Array(batch[(index + 1)...])
                    if !rest.isEmpty { await persist(rest) }
                    return
                }
                let elapsed = started.duration(to: .now)
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                let recovered = state.withLock { state -> Bool in
                    state.statistics.batches += 1
                    state.statistics.written += batch.count
                    state.statistics.writeSeconds += seconds
                    if state.statistics.batchSeconds.count < 100_000 { state.statistics.batchSeconds.append(seconds) }
                    defer { state.failing = false }
                    return state.failing
                }
                if recovered { logger.notice("audit trail: writing again") }
                return
            } catch {
                let transient = (error as? DatabaseError)?.kind == .unavailable || error is CancellationError
                let firstFailure = state.withLock { state -> Bool in
                    state.statistics.failedAttempts += 1
                    defer { if transient { state.failing = true } }
                    return transient && !state.failing
                }
                if transient, attempt < 4 {
                    if firstFailure { logger.error("audit trail: cannot write \(batch.count) entries (\(error)); retrying") }
                    try? await Task.sleep(for: .milliseconds(100 << (attempt - 1)))
                    continue
                }
                if !transient, batch.count > 1 {
                    let half = batch.count / 2
                    await persist(Array(batch[..<half]))
                    await persist(Array(batch[half...]))
                    return
                }
                lose(batch, because: String(describing: error))
                return
            }
        }
    }

    private func lose(_ entries: [JSONValue], because reason: String) {
        state.withLock { $0.statistics.lost += entries.count }
        for entry in entries {
            logger.critical("audit entry NOT stored (\(reason)): \(entry.jsonText)")
        }
    }

    // MARK: - Waiting

    /// Waits until ``State/takeWake()`` resumes the writer, or `timeout` passes.
    private func waitForWake(timeout: Duration?) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                // Something the writer must act on arrived between its check and this wait.
                if state.closed || !state.flushWaiters.isEmpty || !state.spaceWaiters.isEmpty { return true }
                if timeout == nil, !state.queue.isEmpty { return true }
                if timeout != nil, state.queue.count >= config.batchSize { return true }
                state.wakeGeneration += 1
                let generation = state.wakeGeneration
                state.wake = continuation
                if let timeout {
                    state.timer = Task {
                        try? await Task.sleep(for: timeout)
                        self.timerFired(generation)
                    }
                }
                return false
            }
            if ready { continuation.resume() }
        }
    }

    private func timerFired(_ generation: Int) {
        let wake = state.withLock { state in
            state.wakeGeneration == generation ? state.takeWake() : nil
        }
        wake?.resume()
    }
}
