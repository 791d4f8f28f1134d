import Foundation

/// A PostgREST query string: a ``RowFilter`` plus the `select` list.
public struct PostgRESTQuery: Sendable, Hashable {
    public var filter: RowFilter
    public var select: [String]?

    public init(filter: RowFilter = RowFilter(), select: [String]? = nil) {
        self.filter = filter
        self.select = select
    }
}

/// Why a PostgREST query string could not be read.
public struct PostgRESTSyntaxError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String
}

extension PostgRESTQuery {
    /// Parses `col=eq.v&col2=in.(a,"b,c")&order=a.asc,b.desc&limit=5&select=a,b` (percent-encoding allowed).
    public init(parsing queryString: String) throws {
        self.init()
        for pair in queryString.split(separator: "&", omittingEmptySubsequences: true) {
            guard let equals = pair.firstIndex(of: "=") else {
                throw PostgRESTSyntaxError(description: "expected key=value, got \(String(reflecting: String(pair)))")
            }
            let key = try Self.decode(pair[..<equals])
            let value = try Self.decode(pair[pair.index(after: equals)...])
            switch key {
            case "order": filter.order = try Self.parseOrder(value)
            case "limit":
                guard let limit = Int(value), limit >= 0 else {
                    throw PostgRESTSyntaxError(description: "limit must be a whole number ≥ 0, got \(String(reflecting: value))")
                }
                filter.limit = limit
            case "select":
                let columns = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                select = columns == ["*"] ? nil : columns
            default:
                guard SQLIdentifier.isValid(key) else {
                    throw PostgRESTSyntaxError(description: "not a column name: \(String(reflecting: key))")
                }
                filter.conditions.append(RowFilter.Condition(key, try Self.parsePredicate(value)))
            }
        }
    }

    /// The query string, percent-encoded for a URL, keys in filter order (`select` first, `order`/`limit` last).
    public var queryString: String {
        var parts: [String] = []
        if let select { parts.append("select=" + Self.encode(select.joined(separator: ","))) }
        for condition in filter.conditions {
            parts.append(condition.column + "=" + Self.encode(Self.render(condition.predicate)))
        }
        if !filter.order.isEmpty {
            let keys = filter.order.map { "\($0.column).\($0.ascending ? "asc" : "desc")" }
            parts.append("order=" + Self.encode(keys.joined(separator: ",")))
        }
        if let limit = filter.limit { parts.append("limit=\(limit)") }
        return parts.joined(separator: "&")
    }

    static func render(_ predicate: RowFilter.Predicate) -> String {
        switch predicate {
        case .compare(let op, let value): return "\(op.rawValue).\(value)"
        case .is(let value): return "is.\(value.rawValue)"
        case .isIn(let values): return "in.(" + values.map(quoteListItem).joined(separator: ",") + ")"
        }
    }

    /// PostgREST list items are quoted when they hold a reserved character; `\` escapes inside quotes.
    static func quoteListItem(_ item: String) -> String {
        let reserved: Set<Character> = [",", "(", ")", "\"", "\\", ":", "."]
        guard item.isEmpty || item.contains(where: { reserved.contains($0) || $0.isWhitespace }) else { return item }
        let escaped = item.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(escaped)\""
    }

    static func parsePredicate(_ text: String) throws -> RowFilter.Predicate {
        guard let dot = text.firstIndex(of: ".") else {
            throw PostgRESTSyntaxError(description: "expected operator.value, got \(String(reflecting: text))")
        }
        let op = String(text[..<dot])
        let operand = String(text[text.index(after: dot)...])
        if let comparison = RowFilter.ComparisonOperator(rawValue: op) { return .compare(comparison, operand) }
        switch op {
        case "is":
            guard let value = RowFilter.IsValue(rawValue: operand.lowercased()) else {
                throw PostgRESTSyntaxError(description: "is. takes null, true or false, got \(String(reflecting: operand))")
            }
            return .is(value)
        case "in": return .isIn(try parseList(operand))
        default:
            throw PostgRESTSyntaxError(description: "unsupported operator \(String(reflecting: op)) (use eq, neq, gt, gte, lt, lte, in, is)")
        }
    }

    static func parseList(_ text: String) throws -> [String] {
        guard text.hasPrefix("("), text.hasSuffix(")"), text.count >= 2 else {
            throw PostgRESTSyntaxError(description: "in. takes a parenthesised list, got \(String(reflecting: text))")
        }
        let body = Array(text.dropFirst().dropLast())
        if body.isEmpty { return [] }
        var items: [String] = []
        var current = ""
        var index = 0
        var quoted = false
        var wasQuoted = false
        while index < body.count {
            let character = body[index]
            if quoted {
                if character == "\\", index + 1 < body.count {
                    current.append(body[index + 1])
                    index += 1
                } else if character == "\"" {
                    quoted = false
                } else {
                    current.append(character)
                }
            } else if character == "\"", current.isEmpty, !wasQuoted {
                quoted = true
                wasQuoted = true
            } else if character == "," {
                items.append(current)
                current = ""
                wasQuoted = false
            } else {
                guard !wasQuoted else {
                    throw PostgRESTSyntaxError(description: "text after a closing quote in \(String(reflecting: text))")
                }
                current.append(character)
            }
            index += 1
        }
        guard !quoted else { throw PostgRESTSyntaxError(description: "unterminated quote in \(String(reflecting: text))") }
        items.append(current)
        return items
    }

    static func parseOrder(_ text: String) throws -> [RowFilter.OrderKey] {
        try text.split(separator: ",").map { term in
            let pieces = term.split(separator: ".").map(String.init)
            guard let column = pieces.first, SQLIdentifier.isValid(column), pieces.count <= 2 else {
                throw PostgRESTSyntaxError(description: "bad order term \(String(reflecting: String(term)))")
            }
            switch pieces.count == 2 ? pieces[1] : "asc" {
            case "asc": return RowFilter.OrderKey(column, ascending: true)
            case "desc": return RowFilter.OrderKey(column, ascending: false)
            default: throw PostgRESTSyntaxError(description: "order direction must be asc or desc in \(String(reflecting: String(term)))")
            }
        }
    }

    private static let unencoded: CharacterSet = {
        var set = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        set.insert(charactersIn: "-._~(),:*")
        return set
    }()

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unencoded) ?? text
    }

    static func decode(_ text: Substring) throws -> String {
        guard let decoded = String(text).removingPercentEncoding else {
            throw PostgRESTSyntaxError(description: "bad percent-encoding in \(String(reflecting: String(text)))")
        }
        return decoded
    }
}
