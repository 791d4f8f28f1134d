/// The Boolean types of the typechecker: the singletons `tt` (always true) and `ff` (always false), and `Bool`.
enum BoolKind: Sendable, Hashable {
    case tt
    case ff
    case any

    var negated: BoolKind {
        switch self {
        case .tt: .ff
        case .ff: .tt
        case .any: .any
        }
    }
}

/// An attribute of a record type as the typechecker sees it.
struct ValidatorAttribute: Sendable, Hashable {
    var type: ValidatorType
    var isRequired: Bool
}

/// The types of the strict typechecker. Entity types are single names: strict validation has no unions of entity
/// types (the least upper bound of two different entity types is an error). Action entities are `.entity` of their
/// action type (`Action`, `NS::Action`); their attribute set is empty.
indirect enum ValidatorType: Sendable, Hashable, CustomStringConvertible {
    case bool(BoolKind)
    case long
    case string
    case set(ValidatorType)
    /// Records are closed.
    case record([CedarString: ValidatorAttribute])
    case entity(EntityType)
    case `extension`(SchemaExtensionType)

    static let anyBool = ValidatorType.bool(.any)

    init(_ type: SchemaType) {
        switch type {
        case .bool: self = .bool(.any)
        case .long: self = .long
        case .string: self = .string
        case .set(let element): self = .set(ValidatorType(element))
        case .record(let record): self = .record(ValidatorType.attributes(record))
        case .entity(let name): self = .entity(name)
        case .extension(let ext): self = .extension(ext)
        }
    }

    static func attributes(_ record: SchemaRecordType) -> [CedarString: ValidatorAttribute] {
        record.attributes.mapValues { ValidatorAttribute(type: ValidatorType($0.type), isRequired: $0.isRequired) }
    }

    var isBool: Bool {
        if case .bool = self { return true }
        return false
    }

    var boolKind: BoolKind? {
        if case .bool(let kind) = self { return kind }
        return nil
    }

    var entityType: EntityType? {
        if case .entity(let name) = self { return name }
        return nil
    }

    var isSet: Bool {
        if case .set = self { return true }
        return false
    }

    var description: String {
        switch self {
        case .bool(.tt): "__cedar::internal::True"
        case .bool(.ff): "__cedar::internal::False"
        case .bool(.any): "Bool"
        case .long: "Long"
        case .string: "String"
        case .set(let element): "Set<\(element)>"
        case .record(let attributes):
            "{"
                + attributes.keys.sorted().map { key in
                    let attribute = attributes[key]!
                    return "\(key)\(attribute.isRequired ? "" : "?"): \(attribute.type),"
                }.joined() + "}"
        case .entity(let name): name.description
        case .extension(let ext): ext.rawValue
        }
    }

    /// The least upper bound in strict mode: Booleans join to `Bool`; sets join element-wise; records must have the
    /// same attributes with the same optionality; every other type only joins with itself.
    static func leastUpperBound(_ left: ValidatorType, _ right: ValidatorType) -> ValidatorType? {
        switch (left, right) {
        case (.bool(let a), .bool(let b)):
            return .bool(a == b ? a : .any)
        case (.set(let a), .set(let b)):
            return leastUpperBound(a, b).map { .set($0) }
        case (.record(let a), .record(let b)):
            guard a.count == b.count else { return nil }
            var joined: [CedarString: ValidatorAttribute] = [:]
            for (key, attribute) in a {
                guard let other = b[key], other.isRequired == attribute.isRequired,
                    let type = leastUpperBound(attribute.type, other.type)
                else { return nil }
                joined[key] = ValidatorAttribute(type: type, isRequired: attribute.isRequired)
            }
            return .record(joined)
        default:
            return left == right ? left : nil
        }
    }
}
