/// A setting that keeps the coordinator from starting: names the variable and says what it must be.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable, Equatable {
    public let variable: String
    public let detail: String

    public init(variable: String, _ detail: String) {
        self.variable = variable
        self.detail = detail
    }

    public var description: String { "configuration error: \(variable): \(detail)" }
}

/// Reads typed values from an environment map, with one error shape for every bad value.
public struct EnvironmentReader: Sendable {
    public let values: [String: String]

    public init(_ values: [String: String]) { self.values = values }

    /// A set, non-blank value (trimmed).
    public func string(_ name: String) -> String? {
        guard let raw = values[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !raw.isEmpty else { return nil }
        return raw
    }

    public func integer(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let raw = string(name) else { return fallback }
        guard let value = Int(raw), range.contains(value) else {
            throw ConfigurationError(variable: name, "must be a whole number from \(range.lowerBound) to \(range.upperBound), got \(String(reflecting: raw))")
        }
        return value
    }

    /// True only for `true`, `1`, `yes` (case-insensitive); false for `false`, `0`, `no`; other text is an error.
    public func flag(_ name: String, default fallback: Bool) throws -> Bool {
        guard let raw = string(name)?.lowercased() else { return fallback }
        switch raw {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw ConfigurationError(variable: name, "must be true or false, got \(String(reflecting: raw))")
        }
    }
}

import Foundation
