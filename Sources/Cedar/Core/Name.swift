/// A possibly namespaced Cedar name: `User`, `PhotoApp::User`, `Action`. Identifiers are ASCII-only in Cedar, so plain
/// `String` components are exact.
public struct Name: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Namespace components, outermost first (empty for an unqualified name).
    public var namespace: [String]
    /// The last component.
    public var basename: String

    public init(_ basename: String, namespace: [String] = []) {
        self.basename = basename
        self.namespace = namespace
    }

    /// Parses `A::B::C` (no spaces, no validation of identifier characters); `nil` for an empty component.
    public init?(qualified text: String) {
        let parts = text.split(separator: "::", omittingEmptySubsequences: false).map(String.init)
        guard let last = parts.last, !parts.contains(where: \.isEmpty) else { return nil }
        self.init(last, namespace: Array(parts.dropLast()))
    }

    public var components: [String] { namespace + [basename] }

    /// `A::B::C`.
    public var description: String { components.joined(separator: "::") }

    /// True for `Action` and `NS::Action`: the type of action entities.
    public var isActionType: Bool { basename == "Action" }

    public static func < (left: Name, right: Name) -> Bool { left.description < right.description }
}

/// A Cedar entity type: a name such as `User` or `PhotoApp::Album`.
public typealias EntityType = Name
