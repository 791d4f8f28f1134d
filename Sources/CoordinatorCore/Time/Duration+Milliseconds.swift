extension Duration {
    /// The duration in milliseconds, with fractions (audit entries record sub-millisecond calls).
    public var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
