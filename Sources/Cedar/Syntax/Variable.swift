/// The four request variables.
public enum Variable: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case principal, action, resource, context

    public var description: String { rawValue }
}

/// A template slot: `?principal` or `?resource`.
public enum SlotID: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case principal = "?principal"
    case resource = "?resource"

    public var description: String { rawValue }
}
