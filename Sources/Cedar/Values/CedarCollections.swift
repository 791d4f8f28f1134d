/// A Cedar set: unordered, without duplicates (by Cedar equality). `[1, 2] == [2, 1, 1]`.
public struct CedarSet: Sendable, Hashable, Sequence, CustomStringConvertible {
    public private(set) var elements: Set<Value>

    public init(_ elements: some Sequence<Value>) { self.elements = Set(elements) }

    public init() { elements = [] }

    public var count: Int { elements.count }
    public var isEmpty: Bool { elements.isEmpty }

    public func contains(_ value: Value) -> Bool { elements.contains(value) }

    /// Every element of `other` is in this set (`containsAll`).
    public func containsAll(_ other: CedarSet) -> Bool { other.elements.isSubset(of: elements) }

    /// Some element of `other` is in this set (`containsAny`).
    public func containsAny(_ other: CedarSet) -> Bool { !elements.isDisjoint(with: other.elements) }

    public mutating func insert(_ value: Value) { elements.insert(value) }

    public func makeIterator() -> Set<Value>.Iterator { elements.makeIterator() }

    /// The elements in a deterministic (canonical, not Cedar-semantic) order.
    public var sorted: [Value] { elements.sorted(by: Value.canonicallyPrecedes) }

    public var description: String { Value.set(self).description }
}

/// A Cedar record: attributes keyed by scalar-exact strings. Equality ignores insertion order; iteration via
/// `sortedPairs` is in key (code point) order.
public struct CedarRecord: Sendable, Hashable, CustomStringConvertible {
    public private(set) var attributes: [CedarString: Value]

    public init(_ attributes: [CedarString: Value] = [:]) { self.attributes = attributes }

    /// From pairs; if a key repeats, the later value wins.
    public init(_ pairs: [(CedarString, Value)]) {
        var attributes: [CedarString: Value] = [:]
        for (key, value) in pairs { attributes[key] = value }
        self.attributes = attributes
    }

    public subscript(key: CedarString) -> Value? {
        get { attributes[key] }
        set { attributes[key] = newValue }
    }

    public var count: Int { attributes.count }
    public var isEmpty: Bool { attributes.isEmpty }
    public var keys: Dictionary<CedarString, Value>.Keys { attributes.keys }

    public func has(_ key: CedarString) -> Bool { attributes[key] != nil }

    /// The attribute, or Cedar's "record does not have the attribute" error.
    public func get(_ key: CedarString) throws(EvaluationError) -> Value {
        guard let value = attributes[key] else { throw .attributeNotFound(in: nil, attribute: key) }
        return value
    }

    /// Pairs ordered by key.
    public var sortedPairs: [(key: CedarString, value: Value)] {
        attributes.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
    }

    public var description: String { Value.record(self).description }
}
