/// The runtime type of a value, as Cedar names it in error messages (`long`, `string`, `(entity of type `User`)`,
/// `decimal`, …).
public enum CedarType: Sendable, Hashable, CustomStringConvertible {
    case bool
    case long
    case string
    case set
    case record
    /// An entity of a particular type.
    case entity(EntityType)
    /// An entity of any type (used in "expected" lists).
    case anyEntity
    case decimal
    case ipaddr
    case datetime
    case duration

    public var description: String {
        switch self {
        case .bool: "bool"
        case .long: "long"
        case .string: "string"
        case .set: "set"
        case .record: "record"
        case .entity(let type): "(entity of type `\(type)`)"
        case .anyEntity: "(entity of type `any_entity_type`)"
        case .decimal: "decimal"
        case .ipaddr: "ipaddr"
        case .datetime: "datetime"
        case .duration: "duration"
        }
    }
}
