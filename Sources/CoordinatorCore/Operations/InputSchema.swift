/// The JSON Schema (a subset) of an operation's input: what MCP tools advertise, what OpenAPI documents, and what
/// the dispatcher enforces before any handler runs.
public indirect enum InputSchema: Sendable {
    case string(StringRules = StringRules())
    case integer(minimum: Int? = nil, maximum: Int? = nil)
    case number(minimum: Double? = nil, maximum: Double? = nil)
    case boolean
    case array(InputSchema, maxItems: Int? = nil)
    case object(ObjectRules)
    /// Any JSON object (free-form payloads such as `input_data`, `result`).
    case anyObject

    public struct StringRules: Sendable {
        public var minLength: Int?
        public var maxLength: Int?
        public var format: String?
        public var choices: [String]?

        public init(minLength: Int? = nil, maxLength: Int? = nil, format: String? = nil, choices: [String]? = nil) {
            self.minLength = minLength
            self.maxLength = maxLength
            self.format = format
            self.choices = choices
        }
    }

    /// An object's properties, in declaration order, each with a description and optional default.
    public struct ObjectRules: Sendable {
        public var properties: [Property]
        public var additionalProperties: Bool

        public init(_ properties: [Property], additionalProperties: Bool = false) {
            self.properties = properties
            self.additionalProperties = additionalProperties
        }

        public var required: [String] { properties.filter(\.required).map(\.name) }
    }

    public struct Property: Sendable {
        public var name: String
        public var schema: InputSchema
        public var description: String
        public var required: Bool
        public var defaultValue: JSONValue?

        public init(_ name: String, _ schema: InputSchema, _ description: String, required: Bool = false, default defaultValue: JSONValue? = nil) {
            self.name = name
            self.schema = schema
            self.description = description
            self.required = required
            self.defaultValue = defaultValue
        }
    }

    /// An object schema from its properties.
    public static func properties(_ properties: Property...) -> InputSchema {
        .object(ObjectRules(properties))
    }

    /// A non-empty string.
    public static let text = InputSchema.string(StringRules(minLength: 1))
    /// A UUID string.
    public static let uuid = InputSchema.string(StringRules(format: "uuid"))
    /// An ISO-8601 date-time string.
    public static let dateTime = InputSchema.string(StringRules(format: "date-time"))
    /// A list of non-empty strings.
    public static let texts = InputSchema.array(.text, maxItems: 1000)
}

extension InputSchema {
    /// The JSON Schema document (draft 2020-12 vocabulary, as OpenAPI 3.1 and MCP use it).
    public var json: JSONValue {
        switch self {
        case .string(let rules):
            var object: JSONObject = ["type": "string"]
            if let minLength = rules.minLength { object["minLength"] = .int(minLength) }
            if let maxLength = rules.maxLength { object["maxLength"] = .int(maxLength) }
            if let format = rules.format { object["format"] = .string(format) }
            if let choices = rules.choices { object["enum"] = JSONValue(choices) }
            return .object(object)
        case .integer(let minimum, let maximum):
            var object: JSONObject = ["type": "integer"]
            if let minimum { object["minimum"] = .int(minimum) }
            if let maximum { object["maximum"] = .int(maximum) }
            return .object(object)
        case .number(let minimum, let maximum):
            var object: JSONObject = ["type": "number"]
            if let minimum { object["minimum"] = Self.bound(minimum) }
            if let maximum { object["maximum"] = Self.bound(maximum) }
            return .object(object)
        case .boolean: return ["type": "boolean"]
        case .array(let items, let maxItems):
            var object: JSONObject = ["type": "array", "items": items.json]
            if let maxItems { object["maxItems"] = .int(maxItems) }
            return .object(object)
        case .anyObject: return ["type": "object"]
        case .object(let rules):
            var properties: JSONObject = [:]
            for property in rules.properties {
                guard case .object(var schema) = property.schema.json else { continue }
                schema["description"] = .string(property.description)
                if let value = property.defaultValue { schema["default"] = value }
                properties[property.name] = .object(schema)
            }
            var object: JSONObject = [
                "type": "object", "properties": .object(properties), "additionalProperties": .bool(rules.additionalProperties),
            ]
            if !rules.required.isEmpty { object["required"] = JSONValue(rules.required) }
            return .object(object)
        }
    }
}

extension InputSchema {
    /// A numeric bound as JSON: whole numbers as integers, so the schema reads the same after a round trip through
    /// clients that do not keep the difference between `0` and `0.0`.
    public static func bound(_ value: Double) -> JSONValue {
        value.rounded() == value && abs(value) < 9.0e15 ? .int(Int(value)) : .double(value)
    }
}
