/// A position in schema source text: 1-based line and column (columns count Unicode scalars), and the 0-based
/// scalar offset.
public struct SchemaSourcePosition: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var offset: Int

    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    public var description: String { "\(line):\(column)" }
}

/// A schema that failed to parse or to resolve. `position` is set when the problem has a place in the text.
public struct SchemaError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var position: SchemaSourcePosition?

    public init(_ message: String, at position: SchemaSourcePosition? = nil) {
        self.message = message
        self.position = position
    }

    public var description: String {
        if let position { return "\(position): \(message)" }
        return message
    }
}
