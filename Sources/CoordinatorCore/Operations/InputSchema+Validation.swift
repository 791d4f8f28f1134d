import Foundation

extension InputSchema {
    /// Checks `value` against the schema and returns it with defaults filled in; throws an ``InputError`` naming
    /// the first offending field (`limit`, `depends_on[2]`, …). JSON `null` for an optional property counts as absent.
    public func validate(_ value: JSONValue, at path: String = "") throws -> JSONValue {
        let field = path.isEmpty ? "input" : path
        switch self {
        case .string(let rules):
            guard case .string(let text) = value else { throw InputError(field: field, "must be a string, got \(value.typeName)") }
            let length = text.count
            if let minLength = rules.minLength, length < minLength || (minLength > 0 && text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty) {
                throw InputError(field: field, minLength == 1 ? "must not be empty" : "must be at least \(minLength) characters")
            }
            if let maxLength = rules.maxLength, length > maxLength {
                throw InputError(field: field, "must be at most \(maxLength) characters")
            }
            if let choices = rules.choices, !choices.contains(text) {
                throw InputError(field: field, "must be one of \(choices.joined(separator: ", ")), got \(String(reflecting: text))")
            }
            switch rules.format {
            case "uuid":
                guard UUID(uuidString: text) != nil else {
                    throw InputError(field: field, "must be a UUID like 123e4567-e89b-12d3-a456-426614174000, got \(String(reflecting: text))")
                }
            case "date-time":
                _ = try TaskInput.date(text, field: field)
            default: break
            }
            return value
        case .integer(let minimum, let maximum):
            guard let number = value.intValue else { throw InputError(field: field, "must be an integer, got \(value.typeName)") }
            if let minimum, number < minimum { throw InputError(field: field, "must be at least \(minimum), got \(number)") }
            if let maximum, number > maximum { throw InputError(field: field, "must be at most \(maximum), got \(number)") }
            return .int(number)
        case .number(let minimum, let maximum):
            guard let number = value.doubleValue else { throw InputError(field: field, "must be a number, got \(value.typeName)") }
            if let minimum, number < minimum { throw InputError(field: field, "must be at least \(minimum), got \(number)") }
            if let maximum, number > maximum { throw InputError(field: field, "must be at most \(maximum), got \(number)") }
            return value
        case .boolean:
            guard value.boolValue != nil else { throw InputError(field: field, "must be true or false, got \(value.typeName)") }
            return value
        case .anyObject:
            guard value.objectValue != nil else { throw InputError(field: field, "must be a JSON object, got \(value.typeName)") }
            return value
        case .array(let items, let maxItems):
            guard case .array(let elements) = value else { throw InputError(field: field, "must be an array, got \(value.typeName)") }
            if let maxItems, elements.count > maxItems { throw InputError(field: field, "must have at most \(maxItems) items") }
            return .array(try elements.enumerated().map { index, element in try items.validate(element, at: "\(field)[\(index)]") })
        case .object(let rules):
            guard case .object(let members) = value else { throw InputError(field: field, "must be a JSON object, got \(value.typeName)") }
            var result: JSONObject = [:]
            let known = Set(rules.properties.map(\.name))
            if !rules.additionalProperties, let unknown = members.keys.sorted().first(where: { !known.contains($0) }) {
                let expected = rules.properties.map(\.name).joined(separator: ", ")
                throw InputError(field: path.isEmpty ? unknown : "\(path).\(unknown)",
                                 "is not a parameter of this operation (expected: \(expected.isEmpty ? "none" : expected))")
            }
            for property in rules.properties {
                let name = path.isEmpty ? property.name : "\(path).\(property.name)"
                if let member = members[property.name], !member.isNull {
                    result[property.name] = try property.schema.validate(member, at: name)
                } else if property.required {
                    throw InputError(field: name, "is required")
                } else if let fallback = property.defaultValue {
                    result[property.name] = fallback
                }
            }
            return .object(result)
        }
    }
}
