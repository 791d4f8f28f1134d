/// The life of a work-queue task.
///
/// `pending` → `claimed` (a claim with a lease) → `running` (the claimer renewed its lease) → `completed` or
/// `failed`. A lease that runs out returns the task to `pending` until `max_attempts` claims were made; a
/// cancelled or failed task fails every pending task that depends on it.
public enum TaskStatus: String, Sendable, CaseIterable {
    case pending, claimed, running, completed, failed, cancelled

    /// Held by an agent right now.
    public var isActive: Bool { self == .claimed || self == .running }
    /// Nothing more will happen to it.
    public var isFinal: Bool { self == .completed || self == .failed || self == .cancelled }
}
