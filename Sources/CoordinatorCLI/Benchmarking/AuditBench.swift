import CoordinatorCore
import Foundation

/// The audit trail's cost: lock acquire+release cycles through the dispatcher without a recorder and with an
/// ``AuditTrail`` (the configured `AUDIT_*` settings), one after the other on the same backend, plus the trail's
/// write figures (per batch and per entry).
struct AuditBenchResult: Sendable {
    let connections: Int
    let off: BenchSummary
    let on: BenchSummary
    let statistics: AuditTrailStatistics
    /// Time `shutdown()` took to write what was still queued when the timed phase ended.
    let drainSeconds: Double
    let async: Bool

    var ratio: Double { off.perSecond > 0 ? on.perSecond / off.perSecond : 0 }
    var meanBatch: Double { statistics.batches > 0 ? Double(statistics.written) / Double(statistics.batches) : 0 }
    var batchMean: Double { statistics.batches > 0 ? statistics.writeSeconds / Double(statistics.batches) : 0 }
    var perEntry: Double { statistics.written > 0 ? statistics.writeSeconds / Double(statistics.written) : 0 }

    private static func ms(_ seconds: Double) -> JSONValue { .double((seconds * 1e5).rounded() / 100) }

    var json: JSONValue {
        [
            "name": "audit_overhead", "connections": .int(connections), "audit_async": .bool(async),
            "off_per_second": .double(off.perSecond.rounded()), "on_per_second": .double(on.perSecond.rounded()),
            "ratio": .double((ratio * 100).rounded() / 100),
            "entries": .int(statistics.written), "batches": .int(statistics.batches), "mean_batch": .double((meanBatch * 10).rounded() / 10),
            "batch_ms_mean": Self.ms(batchMean), "batch_ms_p50": Self.ms(BenchSummary.quantile(0.5, of: statistics.batchSeconds)),
            "batch_ms_p99": Self.ms(BenchSummary.quantile(0.99, of: statistics.batchSeconds)),
            "entry_us": .double((perEntry * 1e7).rounded() / 10), "drain_ms": Self.ms(drainSeconds), "lost": .int(statistics.lost),
        ]
    }

    var line: String {
        String(format: "audit overhead × %d: lock cycles %.0f/s without audit, %.0f/s with (ratio %.2f); %d entries in %d batches "
                + "(mean %.1f), per batch %.2f ms mean / %.2f ms p50 / %.2f ms p99, per entry %.1f µs; drain %.1f ms; lost %d",
               connections, off.perSecond, on.perSecond, ratio, statistics.written, statistics.batches, meanBatch, batchMean * 1000,
               BenchSummary.quantile(0.5, of: statistics.batchSeconds) * 1000, BenchSummary.quantile(0.99, of: statistics.batchSeconds) * 1000,
               perEntry * 1e6, drainSeconds * 1000, statistics.lost)
    }
}

extension BenchRunner {
    /// Lock cycles through the dispatcher (acquire_lock + release_lock, one key per connection), first without a
    /// recorder, then with a fresh audit trail, `seconds` each.
    func auditOverhead(connections: Int, seconds: Double) async throws -> AuditBenchResult {
        let off = try await dispatcherLockCycles(OperationDispatcher(coordinator: coordinator), name: "audit_off", connections: connections,
                                                 seconds: seconds)
        let trail = AuditTrail(database: coordinator.database, config: coordinator.config.audit)
        let on = try await dispatcherLockCycles(OperationDispatcher(coordinator: coordinator, recorder: trail), name: "audit_on",
                                                connections: connections, seconds: seconds)
        let drainStart = ContinuousClock.now
        await trail.shutdown()
        let drain = Self.seconds(drainStart.duration(to: .now))
        let statistics = await trail.currentStatistics()
        guard statistics.lost == 0, statistics.written == statistics.recorded else {
            throw BenchFailure(message: "the audit trail stored \(statistics.written) of \(statistics.recorded) entries (\(statistics.lost) lost)")
        }
        return AuditBenchResult(connections: connections, off: off, on: on, statistics: statistics, drainSeconds: drain,
                                async: coordinator.config.audit.async)
    }
}
