/// Every error found while parsing Cedar text, in source order (at least one).
public struct CedarParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One error: a message, where it is, and the offending source text when there is one.
    public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
        public var message: String
        public var range: SourceRange
        /// The source text of the offending token (nil at end of input).
        public var token: String?

        public init(message: String, range: SourceRange, token: String? = nil) {
            self.message = message
            self.range = range
            self.token = token
        }

        /// `line:column: message`.
        public var description: String { "\(range.start): \(message)" }
    }

    public var diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) {
        precondition(!diagnostics.isEmpty, "a parse error needs at least one diagnostic")
        self.diagnostics = diagnostics
    }

    /// The first error in source order.
    public var first: Diagnostic { diagnostics[0] }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
