/// Every coordination operation, by name, in declaration order.
public struct OperationCatalog: Sendable {
    public let operations: [CoordinatorOperation]
    private let byName: [String: Int]

    public init(_ operations: [CoordinatorOperation]) {
        self.operations = operations
        var byName: [String: Int] = [:]
        for (index, operation) in operations.enumerated() {
            precondition(byName[operation.name] == nil, "operation \(operation.name) is declared twice")
            byName[operation.name] = index
        }
        self.byName = byName
    }

    public subscript(name: String) -> CoordinatorOperation? {
        byName[name].map { operations[$0] }
    }

    /// The coordinator's operations: one registration line per capability.
    public static let standard = OperationCatalog(
        LockOperations.all + WorkQueueOperations.all + HandoffOperations.all + DiscoveryOperations.all
            + MemoryOperations.all + AuditOperations.all + ProfileOperations.all
            + NetworkOperations.all + GuardrailOperations.all
    )
}
