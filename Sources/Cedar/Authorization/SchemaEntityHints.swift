/// Drives entity and context JSON parsing from a `Schema`: attribute and tag types become `ValueTypeHint`s, so that
/// implicit escapes work (`"home_ip": "1.2.3.4"` declared `ipaddr`, `{"type", "id"}` declared as an entity type).
public struct SchemaEntityHints: EntitySchemaHints {
    public let schema: Schema

    public init(_ schema: Schema) { self.schema = schema }

    public func attributeHint(entityType: EntityType, attribute: CedarString) -> ValueTypeHint? {
        guard let type = schema.entityTypes[entityType]?.shape[attribute]?.type else { return nil }
        return Self.hint(for: type)
    }

    public func tagHint(entityType: EntityType) -> ValueTypeHint? {
        schema.entityTypes[entityType]?.tags.map(Self.hint(for:))
    }

    /// The hint that reads a JSON value as a value of `type`.
    public static func hint(for type: SchemaType) -> ValueTypeHint {
        switch type {
        case .bool: .bool
        case .long: .long
        case .string: .string
        case .entity: .entity
        case .set(let element): .set(hint(for: element))
        case .record(let record): .record(hints(for: record))
        case .extension(let ext):
            switch ext {
            case .decimal: .ext(.decimal)
            case .ipaddr: .ext(.ipaddr)
            case .datetime: .ext(.datetime)
            case .duration: .ext(.duration)
            }
        }
    }

    /// Hints for every attribute of a record type.
    public static func hints(for record: SchemaRecordType) -> [CedarString: ValueTypeHint] {
        record.attributes.mapValues { hint(for: $0.type) }
    }
}
