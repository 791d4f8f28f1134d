import Foundation
import Synchronization

/// Where services read the time. Injected so TTL, lease and heartbeat behaviour is tested without sleeping.
public protocol CoordinatorClock: Sendable {
    func now() -> Date
}

/// The machine's wall clock.
public struct SystemClock: CoordinatorClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that moves only when told to; for tests and simulations.
public final class ManualClock: CoordinatorClock {
    private let current: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = Mutex(start)
    }

    public func now() -> Date { current.withLock { $0 } }

    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    public func advance(minutes: Double) { advance(by: minutes * 60) }

    public func set(_ date: Date) { current.withLock { $0 = date } }
}
