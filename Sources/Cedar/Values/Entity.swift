/// One entity: its uid, attributes, direct parents and tags.
public struct Entity: Sendable, Hashable {
    public var uid: EntityUID
    public var attributes: CedarRecord
    /// Direct parents only; `Entities` computes the transitive ancestors.
    public var parents: Set<EntityUID>
    public var tags: CedarRecord

    public init(
        uid: EntityUID, attributes: CedarRecord = CedarRecord(), parents: Set<EntityUID> = [],
        tags: CedarRecord = CedarRecord()
    ) {
        self.uid = uid
        self.attributes = attributes
        self.parents = parents
        self.tags = tags
    }

    /// `entity.attr`: the attribute, or Cedar's "`U::"a"` does not have the attribute `x`" error.
    public func attribute(_ name: CedarString) throws(EvaluationError) -> Value {
        guard let value = attributes[name] else { throw .attributeNotFound(in: uid, attribute: name) }
        return value
    }

    /// `entity.getTag(t)`: the tag, or Cedar's "does not have the tag" error.
    public func tag(_ name: CedarString) throws(EvaluationError) -> Value {
        guard let value = tags[name] else { throw .tagNotFound(uid, tag: name) }
        return value
    }
}

/// An error while building an entity store or reading entity or context JSON.
public struct EntitiesError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The text is not valid JSON.
        case json
        /// Valid JSON, but not the Cedar entity/value format (missing field, `null`, bad escape, bad number, …).
        case format
        /// Two different entities with the same uid.
        case duplicateEntity
        /// The parent relation has a cycle (an entity that is its own ancestor).
        case cycle
    }

    public let kind: Kind
    public let message: String
    /// Where in the JSON text, when known (1-based; column in bytes).
    public let line: Int?
    public let column: Int?

    public init(_ kind: Kind, _ message: String, line: Int? = nil, column: Int? = nil) {
        self.kind = kind
        self.message = message
        self.line = line
        self.column = column
    }

    public var description: String {
        guard let line, let column else { return message }
        return "\(message) at line \(line) column \(column)"
    }
}

/// A store of entities with the ancestor relation closed transitively at construction, so `in` is a set lookup.
///
/// * An entity is `in` itself; an entity absent from the store is `in` only itself.
/// * Parents may name entities that are not in the store.
/// * The same entity listed twice identically is accepted; two different entities with one uid are an error.
/// * A cycle in the parent relation (including an entity listing itself as a parent) is an error, as in Cedar 4.12.
public struct Entities: Sendable {
    private var store: [EntityUID: Entity]
    private var ancestorSets: [EntityUID: Set<EntityUID>]

    public init() {
        store = [:]
        ancestorSets = [:]
    }

    public init(_ entities: some Sequence<Entity>) throws(EntitiesError) {
        var store: [EntityUID: Entity] = [:]
        for entity in entities {
            if let existing = store[entity.uid] {
                if existing != entity { throw EntitiesError(.duplicateEntity, "duplicate entity entry `\(entity.uid)`") }
            } else {
                store[entity.uid] = entity
            }
        }
        self.store = store
        ancestorSets = try Self.closure(of: store)
    }

    public var count: Int { store.count }
    public var isEmpty: Bool { store.isEmpty }
    /// All entities (in no particular order).
    public var all: Dictionary<EntityUID, Entity>.Values { store.values }

    public subscript(uid: EntityUID) -> Entity? { store[uid] }

    public func contains(_ uid: EntityUID) -> Bool { store[uid] != nil }

    /// Every transitive ancestor of `uid` (not including `uid` itself); empty for an entity not in the store.
    public func ancestors(of uid: EntityUID) -> Set<EntityUID> { ancestorSets[uid] ?? [] }

    /// Cedar's `uid in ancestor`: equal, or `ancestor` is a transitive parent.
    public func isDescendant(_ uid: EntityUID, of ancestor: EntityUID) -> Bool {
        uid == ancestor || ancestorSets[uid]?.contains(ancestor) == true
    }

    /// `uid in [a, b, …]`: `isDescendant` of any of them.
    public func isDescendant(_ uid: EntityUID, ofAny ancestors: some Sequence<EntityUID>) -> Bool {
        let known = ancestorSets[uid]
        return ancestors.contains { $0 == uid || known?.contains($0) == true }
    }

    /// A new store with `more` entities added (same duplicate and cycle rules).
    public func adding(_ more: some Sequence<Entity>) throws(EntitiesError) -> Entities {
        try Entities(Array(store.values) + Array(more))
    }

    /// Transitive closure by depth-first search with memoisation; iterative, so long parent chains cannot overflow
    /// the stack.
    private static func closure(of store: [EntityUID: Entity]) throws(EntitiesError) -> [EntityUID: Set<EntityUID>] {
        var done: [EntityUID: Set<EntityUID>] = [:]
        var onPath = Set<EntityUID>()
        for root in store.keys where done[root] == nil {
            // Each frame: the node and its parents still to visit.
            var stack: [(node: EntityUID, pending: [EntityUID])] = [(root, Array(store[root]?.parents ?? []))]
            onPath.insert(root)
            while !stack.isEmpty {
                let top = stack.count - 1
                if let parent = stack[top].pending.popLast() {
                    if onPath.contains(parent) {
                        throw EntitiesError(
                            .cycle,
                            "transitive closure computation/enforcement error: input graph has a cycle containing vertex `\(parent)`"
                        )
                    }
                    if done[parent] == nil {
                        onPath.insert(parent)
                        stack.append((parent, Array(store[parent]?.parents ?? [])))
                    }
                } else {
                    let node = stack.removeLast().node
                    onPath.remove(node)
                    var ancestors = Set<EntityUID>()
                    for parent in store[node]?.parents ?? [] {
                        ancestors.insert(parent)
                        ancestors.formUnion(done[parent] ?? [])
                    }
                    done[node] = ancestors
                }
            }
        }
        // Absent parents have no ancestors; keep only entries for entities in the store.
        return done.filter { store[$0.key] != nil }
    }
}
