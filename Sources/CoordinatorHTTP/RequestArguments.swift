import CoordinatorCore

/// Turns the parts of an HTTP request into an operation's raw JSON arguments (validation is the dispatcher's).
enum RequestArguments {
    /// A POST body: a JSON object; no body at all counts as `{}`. Anything else (white space only, malformed
    /// JSON, another JSON type) is invalid input naming `body`.
    static func body(_ bytes: [UInt8]) throws -> JSONObject {
        guard !bytes.isEmpty else { return [:] }
        let value: JSONValue
        do {
            value = try JSONValue(jsonBytes: bytes)
        } catch {
            throw APIError.invalidInput(field: "body", "must be a JSON object (\(error))")
        }
        guard case .object(let members) = value else {
            throw APIError.invalidInput(field: "body", "must be a JSON object, got \(value.typeName)")
        }
        return members
    }

    /// Query parameters of a GET route, typed by the operation's input schema so `?limit=5` reaches the validator as
    /// the integer 5 (text that is not of the property's type is passed on as text and refused there). A property
    /// typed as an array collects every occurrence of its name.
    static func query(_ pairs: [(name: String, value: String)], schema: InputSchema) -> JSONObject {
        var properties: [String: InputSchema] = [:]
        if case .object(let rules) = schema {
            for property in rules.properties { properties[property.name] = property.schema }
        }
        var arguments: JSONObject = [:]
        for (name, value) in pairs {
            switch properties[name] {
            case .array(let items, _)?:
                let element = typed(value, as: items)
                if case .array(let existing)? = arguments[name] {
                    arguments[name] = .array(existing + [element])
                } else {
                    arguments[name] = .array([element])
                }
            case let property?:
                arguments[name] = typed(value, as: property)
            case nil:
                arguments[name] = .string(value)
            }
        }
        return arguments
    }

    private static func typed(_ text: String, as schema: InputSchema) -> JSONValue {
        switch schema {
        case .integer: return Int(text).map(JSONValue.int) ?? .string(text)
        case .number: return Double(text).map(JSONValue.double) ?? .string(text)
        case .boolean:
            switch text.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: return .string(text)
            }
        default: return .string(text)
        }
    }
}

extension InputSchema {
    /// The names of an object schema's properties.
    var propertyNames: Set<String> {
        guard case .object(let rules) = self else { return [] }
        return Set(rules.properties.map(\.name))
    }
}
