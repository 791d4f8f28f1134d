/// A Cedar string: a sequence of Unicode scalars, compared and hashed scalar by scalar.
///
/// Cedar compares strings by code point; Swift's `String` compares by canonical equivalence (so `"é"` and
/// `"e\u{301}"` would be equal, and collide as dictionary keys). Every string that Cedar sees — entity ids, record keys,
/// attribute names, string values, `like` subjects — is a `CedarString`, so that difference cannot leak in.
public struct CedarString: Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The scalars, as UTF-8 bytes (UTF-8 order is code-point order, so byte comparison is Cedar's comparison).
    public let utf8: [UInt8]

    public init(_ string: String) { utf8 = Array(string.utf8) }

    public init(utf8 bytes: [UInt8]) { utf8 = bytes }

    public init(scalars: some Sequence<Unicode.Scalar>) {
        var bytes: [UInt8] = []
        for scalar in scalars { bytes.append(contentsOf: UTF8.encode(scalar)!) }
        utf8 = bytes
    }

    public init(stringLiteral value: String) { self.init(value) }

    /// The Unicode scalars, in order (what `like` matches against).
    public var scalars: [Unicode.Scalar] { Array(string.unicodeScalars) }

    /// The text as a Swift string (for display and JSON output only; never compare these).
    public var string: String { String(decoding: utf8, as: UTF8.self) }

    public var description: String { string }

    public var isEmpty: Bool { utf8.isEmpty }

    public static func < (left: CedarString, right: CedarString) -> Bool {
        left.utf8.lexicographicallyPrecedes(right.utf8)
    }
}
