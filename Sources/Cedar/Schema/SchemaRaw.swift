/// The unresolved form shared by the Cedar-syntax and JSON schema parsers: names are as written, common types are
/// still references.

/// A type name as written, with where it was written.
struct SchemaRawName: Sendable, Hashable {
    var components: [String]
    var position: SchemaSourcePosition?

    var text: String { components.joined(separator: "::") }
    var isQualified: Bool { components.count > 1 }
}

/// What a type reference may resolve to.
enum SchemaReferenceKind: Sendable {
    case common
    case entity
    case commonOrEntity
}

indirect enum SchemaRawType: Sendable {
    case long
    case string
    case bool
    case set(SchemaRawType)
    case record([SchemaRawAttribute], position: SchemaSourcePosition?)
    case reference(SchemaRawName, SchemaReferenceKind)
    case `extension`(SchemaExtensionType)
}

struct SchemaRawAttribute: Sendable {
    var name: CedarString
    var type: SchemaRawType
    var isRequired: Bool
    var annotations: [String: CedarString]
}

struct SchemaRawEntityType: Sendable {
    var name: String
    var position: SchemaSourcePosition?
    var memberOfTypes: [SchemaRawName]
    var shape: SchemaRawType?
    var tags: SchemaRawType?
    var enumChoices: [CedarString]?
    var annotations: [String: CedarString]
}

struct SchemaRawActionRef: Sendable {
    /// The action type as written (`nil` when only the id was given).
    var type: SchemaRawName?
    var id: CedarString
    var position: SchemaSourcePosition?
}

struct SchemaRawAction: Sendable {
    var name: CedarString
    var position: SchemaSourcePosition?
    var memberOf: [SchemaRawActionRef]
    /// `nil` when there is no `appliesTo`.
    var principalTypes: [SchemaRawName]?
    var resourceTypes: [SchemaRawName]?
    var context: SchemaRawType?
    var annotations: [String: CedarString]
}

struct SchemaRawCommonType: Sendable {
    var name: String
    var position: SchemaSourcePosition?
    var type: SchemaRawType
    var annotations: [String: CedarString]
}

struct SchemaRawNamespace: Sendable {
    /// Empty for the empty namespace.
    var path: [String]
    var position: SchemaSourcePosition?
    var annotations: [String: CedarString] = [:]
    var entityTypes: [SchemaRawEntityType] = []
    var actions: [SchemaRawAction] = []
    var commonTypes: [SchemaRawCommonType] = []
}

/// Identifier rules shared by both formats.
enum SchemaNames {
    /// Words that cannot be identifiers (Cedar's policy-language reserved words).
    static let reservedIdentifiers: Set<String> = ["true", "false", "if", "then", "else", "in", "is", "like", "has"]
    /// Names that cannot be common-type names.
    static let reservedTypeNames: Set<String> = [
        "Bool", "Boolean", "Entity", "Extension", "Long", "Record", "Set", "String",
    ]

    static func isIdentifierShaped(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first else { return false }
        guard first == "_" || ("a"..."z").contains(first) || ("A"..."Z").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    static func isIdentifier(_ text: String) -> Bool {
        isIdentifierShaped(text) && !reservedIdentifiers.contains(text)
    }
}
