import Foundation
import Logging

/// Audit retention: a prune that is itself recorded in the audit trail (operation `prune_audit`), run on demand by
/// `coordinator audit prune` and on a schedule by `coordinator serve` (`AUDIT_PRUNE_INTERVAL_HOURS`).
public struct AuditRetention: Sendable {
    public static let operation = "prune_audit"

    public let service: AuditService
    public let recorder: any OperationRecorder

    public init(service: AuditService, recorder: any OperationRecorder) {
        self.service = service
        self.recorder = recorder
    }

    /// Deletes the entries older than `days` days and records the prune as one audit entry, also when it fails.
    public func prune(olderThanDays days: Int, context: RequestContext) async throws -> JSONValue {
        let started = ContinuousClock.now
        var record = OperationRecord(operation: Self.operation, identity: context.identity, requestId: context.requestId,
                                     parameters: ["older_than_days": .int(days)], success: false, time: context.clock.now())
        do {
            let result = try await service.prune(olderThanDays: days, context: context)
            record.result = result
            record.success = result["success"] != .bool(false)
            record.durationMilliseconds = started.duration(to: .now).milliseconds
            await recorder.record(record)
            return result
        } catch {
            record.errorMessage = String(describing: error)
            record.durationMilliseconds = started.duration(to: .now).milliseconds
            await recorder.record(record)
            throw error
        }
    }

    /// Prunes now and then every `interval` until the task is cancelled. A failed prune is logged and retried at the
    /// next tick: retention must never stop the server.
    public func runSchedule(every interval: Duration, olderThanDays days: Int, identity: AgentIdentity, logger: Logger) async {
        while !Task.isCancelled {
            do {
                let result = try await prune(olderThanDays: days, context: RequestContext(identity: identity))
                logger.info("audit retention ran", metadata: [
                    "entries_deleted": "\(result["entries_deleted"]?.intValue ?? 0)", "retention_days": "\(days)",
                ])
            } catch is CancellationError {
                return
            } catch {
                logger.warning("audit retention failed; retrying at the next interval", metadata: ["error": "\(error)"])
            }
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
        }
    }
}
