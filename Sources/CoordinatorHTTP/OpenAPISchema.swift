import CoordinatorCore

/// JSON Schema (OpenAPI 3.1 dialect) for operation inputs, stating exactly what the dispatcher's validator
/// accepts, so generated clients and fuzzers agree with the server:
///
/// * an optional property may be `null` (the validator treats `null` as absent);
/// * a non-empty text (`minLength` ≥ 1) must contain a character that is not white space (the validator trims);
/// * no text anywhere, free-form objects included, contains U+0000 (the dispatcher refuses it for every transport);
/// * an integer without bounds stays within 64 bits.
enum OpenAPISchema {
    /// White space the validator trims: Foundation's `whitespacesAndNewlines` (Unicode `Z*`, U+0009–U+000D,
    /// U+0085, and U+200B ZERO WIDTH SPACE), as a character-class body.
    static let whiteSpaceClass = "\\u0009-\\u000d\\u0020\\u0085\\u00a0\\u1680\\u2000-\\u200b\\u2028\\u2029\\u202f\\u205f\\u3000"
    /// Text without U+0000.
    static let noNULPattern = "^[^\\u0000]*$"
    /// Text without U+0000 that has at least one character that is not white space.
    static let nonBlankPattern = "^[^\\u0000]*[^\\u0000\(whiteSpaceClass)][^\\u0000]*$"
    /// Where free-form JSON values are described (``components``).
    static let freeObjectReference = "#/components/schemas/FreeObject"

    /// Schemas referenced by the others: any JSON object and any JSON value, without U+0000 in any text.
    static let components: JSONObject = [
        "FreeObject": .object(freeObject(nullable: false)),
        "FreeValue": [
            "anyOf": [
                ["type": ["null", "boolean", "number"]],
                ["type": "string", "pattern": .string(noNULPattern)],
                ["type": "array", "items": ["$ref": "#/components/schemas/FreeValue"]],
                ["$ref": .string(freeObjectReference)],
            ],
        ],
    ]

    static func freeObject(nullable: Bool) -> JSONObject {
        [
            "type": nullable ? ["object", "null"] : "object",
            "propertyNames": ["pattern": .string(noNULPattern)],
            "additionalProperties": ["$ref": "#/components/schemas/FreeValue"],
        ]
    }

    /// The schema of `schema`; `nullable` adds `null` to the accepted types.
    static func of(_ schema: InputSchema, nullable: Bool = false) -> JSONValue {
        var object: JSONObject
        switch schema {
        case .string(let rules):
            object = ["type": "string"]
            if let minLength = rules.minLength, minLength > 0 { object["minLength"] = .int(minLength) }
            if rules.choices == nil && rules.format == nil {
                object["pattern"] = .string((rules.minLength ?? 0) > 0 ? nonBlankPattern : noNULPattern)
            }
            if let maxLength = rules.maxLength { object["maxLength"] = .int(maxLength) }
            if let format = rules.format { object["format"] = .string(format) }
            if let choices = rules.choices {
                object["enum"] = .array(choices.map(JSONValue.string) + (nullable ? [.null] : []))
            }
        case .integer(let minimum, let maximum):
            object = ["type": "integer", "minimum": .int(minimum ?? Int(Int64.min)), "maximum": .int(maximum ?? Int(Int64.max))]
        case .number(let minimum, let maximum):
            object = ["type": "number"]
            if let minimum { object["minimum"] = InputSchema.bound(minimum) }
            if let maximum { object["maximum"] = InputSchema.bound(maximum) }
        case .boolean:
            object = ["type": "boolean"]
        case .anyObject:
            return .object(freeObject(nullable: nullable))
        case .array(let items, let maxItems):
            object = ["type": "array", "items": of(items)]
            if let maxItems { object["maxItems"] = .int(maxItems) }
        case .object(let rules):
            object = objectSchema(rules, extra: [])
        }
        if nullable, case .string(let type)? = object["type"] {
            object["type"] = [.string(type), "null"]
        }
        return .object(object)
    }

    /// An object schema from `rules`, with `extra` optional properties appended (those the object already has
    /// are skipped).
    static func objectSchema(_ rules: InputSchema.ObjectRules, extra: [InputSchema.Property]) -> JSONObject {
        var properties: JSONObject = [:]
        let known = Set(rules.properties.map(\.name))
        for property in rules.properties + extra.filter({ !known.contains($0.name) }) {
            guard case .object(var schema) = of(property.schema, nullable: !property.required) else { continue }
            schema["description"] = .string(property.description)
            if let value = property.defaultValue { schema["default"] = value }
            properties[property.name] = .object(schema)
        }
        var object: JSONObject = [
            "type": "object", "properties": .object(properties), "additionalProperties": .bool(rules.additionalProperties),
        ]
        if !rules.required.isEmpty { object["required"] = JSONValue(rules.required) }
        return object
    }
}
