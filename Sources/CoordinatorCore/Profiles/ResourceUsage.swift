import Foundation

/// One agent's use of the resources its profile limits, as the profile check sees it: calls in the last hour,
/// the distinct files it locked in this session, and when the session began.
public struct ResourceUsage: Sendable, Equatable {
    public var callsInLastHour: Int
    public var lockedFiles: Set<String>
    public var sessionStartedAt: Date?

    public init(callsInLastHour: Int = 0, lockedFiles: Set<String> = [], sessionStartedAt: Date? = nil) {
        self.callsInLastHour = callsInLastHour
        self.lockedFiles = lockedFiles
        self.sessionStartedAt = sessionStartedAt
    }
}
