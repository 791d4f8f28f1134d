/// An authorization request: who (principal) wants to do what (action) to which resource, in which context.
///
/// The three entities are identified by uid only; their attributes and ancestors come from the `Entities` store the
/// request is evaluated against.
public struct Request: Sendable, Hashable, CustomStringConvertible {
    public var principal: EntityUID
    public var action: EntityUID
    public var resource: EntityUID
    public var context: CedarRecord

    public init(principal: EntityUID, action: EntityUID, resource: EntityUID, context: CedarRecord = CedarRecord()) {
        self.principal = principal
        self.action = action
        self.resource = resource
        self.context = context
    }

    public var description: String {
        "request(principal: \(principal), action: \(action), resource: \(resource), context: \(context))"
    }
}
