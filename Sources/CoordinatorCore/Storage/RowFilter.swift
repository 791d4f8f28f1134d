/// Which rows a table operation touches, in what order, and how many: the typed form of PostgREST's
/// horizontal filtering (`col=eq.v`, `gt`, `gte`, `lt`, `lte`, `neq`, `in`, `is`), `order=a.asc,b.desc` and
/// `limit=n`.
///
/// Values are kept as text, as PostgREST receives them; each backend converts them to the column's type.
/// The special value `now()` stands for the database's current time.
public struct RowFilter: Sendable, Hashable {
    public var conditions: [Condition]
    public var order: [OrderKey]
    public var limit: Int?

    public init(conditions: [Condition] = [], order: [OrderKey] = [], limit: Int? = nil) {
        self.conditions = conditions
        self.order = order
        self.limit = limit
    }

    /// One column predicate; all of a filter's conditions must hold.
    public struct Condition: Sendable, Hashable {
        public var column: String
        public var predicate: Predicate

        public init(_ column: String, _ predicate: Predicate) {
            self.column = column
            self.predicate = predicate
        }
    }

    public enum Predicate: Sendable, Hashable {
        case compare(ComparisonOperator, String)
        case isIn([String])
        case `is`(IsValue)
    }

    public enum ComparisonOperator: String, Sendable, Hashable, CaseIterable {
        case eq, neq, gt, gte, lt, lte
    }

    public enum IsValue: String, Sendable, Hashable {
        case null, `true`, `false`
    }

    public struct OrderKey: Sendable, Hashable {
        public var column: String
        public var ascending: Bool

        public init(_ column: String, ascending: Bool = true) {
            self.column = column
            self.ascending = ascending
        }
    }
}

extension RowFilter {
    /// Text for a JSON scalar as PostgREST would receive it.
    public static func literal(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number): return String(number)
        case .string(let text): return text
        case .array, .object: return value.jsonText
        }
    }

    public func filtered(_ column: String, _ op: ComparisonOperator, _ value: JSONValue) -> RowFilter {
        var copy = self
        copy.conditions.append(Condition(column, .compare(op, Self.literal(value))))
        return copy
    }

    public func equal(_ column: String, _ value: JSONValue) -> RowFilter { filtered(column, .eq, value) }

    public func among(_ column: String, _ values: [JSONValue]) -> RowFilter {
        var copy = self
        copy.conditions.append(Condition(column, .isIn(values.map(Self.literal))))
        return copy
    }

    public func isNull(_ column: String) -> RowFilter {
        var copy = self
        copy.conditions.append(Condition(column, .is(.null)))
        return copy
    }

    public func ordered(by column: String, ascending: Bool = true) -> RowFilter {
        var copy = self
        copy.order.append(OrderKey(column, ascending: ascending))
        return copy
    }

    public func limited(to count: Int?) -> RowFilter {
        var copy = self
        copy.limit = count
        return copy
    }

    /// Every column name the filter mentions, for identifier checks.
    public var columns: [String] { conditions.map(\.column) + order.map(\.column) }

    /// Throws unless every column name is a plain identifier and the limit is not negative.
    public func validate(backend: String) throws {
        for column in columns { try SQLIdentifier.check(column, backend: backend) }
        if let limit, limit < 0 {
            throw DatabaseError(.invalidRequest, backend: backend, "limit must not be negative (got \(limit))")
        }
    }
}
