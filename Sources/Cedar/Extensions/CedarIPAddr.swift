/// Cedar's `ipaddr`: an IPv4 or IPv6 address with a prefix length (CIDR). The host bits are kept, so
/// `ip("10.0.0.1/24") != ip("10.0.0.0/24")`; a bare address has the full prefix (`/32` or `/128`).
public struct CedarIPAddr: Sendable, Hashable, CustomStringConvertible {
    public enum Address: Sendable, Hashable {
        case v4(UInt32)
        case v6(UInt128)
    }

    public let address: Address
    /// 0…32 for IPv4, 0…128 for IPv6.
    public let prefix: UInt8

    /// An address and prefix; `nil` if the prefix is out of range for the family.
    public init?(address: Address, prefix: UInt8? = nil) {
        let maximum: UInt8 = if case .v4 = address { 32 } else { 128 }
        let prefix = prefix ?? maximum
        guard prefix <= maximum else { return nil }
        self.address = address
        self.prefix = prefix
    }

    /// Parses `a.b.c.d`, `a.b.c.d/n`, IPv6 text (with at most one `::`) and `…/n`, following the reference engine:
    /// no leading zeros in IPv4 octets or in prefixes, no IPv4-in-IPv6 dotted tails (`::ffff:1.2.3.4`), at most 43
    /// bytes. Error messages match Cedar 4.12's.
    public init(parsing text: CedarString) throws(EvaluationError) {
        func fail(_ message: String) -> EvaluationError { .extensionError(function: "ipaddr", message: message) }
        let bytes = text.utf8
        if bytes.count > 43 {
            throw fail("error parsing IP address from string `\(text)`: string length is too large")
        }
        if bytes.count(where: { $0 == UInt8(ascii: ":") }) >= 2, bytes.count(where: { $0 == UInt8(ascii: ".") }) >= 2 {
            throw fail(
                "error parsing IP address from string: We do not accept IPv4 embedded in IPv6 (e.g., ::ffff:127.0.0.1). Found: `\(text)`"
            )
        }
        if let slash = bytes.firstIndex(of: UInt8(ascii: "/")) {
            let addressBytes = Array(bytes[..<slash])
            let prefixBytes = Array(bytes[(slash + 1)...])
            guard let address = Self.parseAddress(addressBytes) else {
                throw fail(
                    "error parsing IP address from the string `\(CedarString(utf8: addressBytes))`: invalid IP address syntax"
                )
            }
            let (maximum, maximumLength): (Int, Int) = if case .v4 = address { (32, 2) } else { (128, 3) }
            let prefixText = CedarString(utf8: prefixBytes)
            if prefixBytes.count > maximumLength {
                throw fail("error parsing prefix: string length \(prefixBytes.count) is too large")
            }
            if prefixBytes.contains(where: { ExtensionText.digit($0) == nil }) {
                throw fail("error parsing prefix `\(prefixText)`: encountered non-digit")
            }
            if prefixBytes.first == UInt8(ascii: "0"), prefixBytes.count > 1 {
                throw fail("error parsing prefix `\(prefixText)`: leading zero(s)")
            }
            if prefixBytes.isEmpty {
                throw fail("error parsing prefix from the string ``: cannot parse integer from empty string")
            }
            let value = prefixBytes.reduce(0) { $0 * 10 + ExtensionText.digit($1)! }
            if value > 255 {
                throw fail("error parsing prefix from the string `\(prefixText)`: number too large to fit in target type")
            }
            if value > maximum { throw fail("error parsing prefix: \(value) is larger than the limit \(maximum)") }
            self.address = address
            self.prefix = UInt8(value)
        } else {
            guard let address = Self.parseAddress(bytes) else { throw fail("invalid IP address: \(text)") }
            self.address = address
            if case .v4 = address { prefix = 32 } else { prefix = 128 }
        }
    }

    public init(parsing text: String) throws(EvaluationError) { try self.init(parsing: CedarString(text)) }

    public var isIPv4: Bool { if case .v4 = address { true } else { false } }
    public var isIPv6: Bool { !isIPv4 }

    /// In 127.0.0.0/8 with a prefix of at least 8, or `::1` with prefix 128.
    public var isLoopback: Bool {
        switch address {
        case .v4(let bits): bits >> 24 == 127 && prefix >= 8
        case .v6(let bits): bits == 1 && prefix >= 128
        }
    }

    /// In 224.0.0.0/4 with a prefix of at least 4, or in ff00::/8 with a prefix of at least 8.
    public var isMulticast: Bool {
        switch address {
        case .v4(let bits): bits >> 28 == 0xE && prefix >= 4
        case .v6(let bits): bits >> 120 == 0xFF && prefix >= 8
        }
    }

    /// This address's range (network to broadcast) lies inside `other`'s. Always false across families.
    public func isInRange(_ other: CedarIPAddr) -> Bool {
        switch (address, other.address) {
        case (.v4(let mine), .v4(let theirs)):
            let (myLow, myHigh) = Self.range(mine, prefix: prefix)
            let (theirLow, theirHigh) = Self.range(theirs, prefix: other.prefix)
            return theirLow <= myLow && myHigh <= theirHigh
        case (.v6(let mine), .v6(let theirs)):
            let (myLow, myHigh) = Self.range(mine, prefix: prefix)
            let (theirLow, theirHigh) = Self.range(theirs, prefix: other.prefix)
            return theirLow <= myLow && myHigh <= theirHigh
        default:
            return false
        }
    }

    private static func range<T: FixedWidthInteger & UnsignedInteger>(_ bits: T, prefix: UInt8) -> (T, T) {
        let hostBits = T.bitWidth - Int(prefix)
        let hostMask: T = hostBits >= T.bitWidth ? T.max : (hostBits == 0 ? 0 : (T(1) << hostBits) - 1)
        return (bits & ~hostMask, bits | hostMask)
    }

    /// The address in standard text (`10.0.0.1`, `2001:db8::1`), without the prefix.
    public var addressText: String {
        switch address {
        case .v4(let bits):
            return [24, 16, 8, 0].map { String((bits >> UInt32($0)) & 0xFF) }.joined(separator: ".")
        case .v6(let bits):
            let groups = (0..<8).map { UInt16(truncatingIfNeeded: bits >> UInt128(112 - 16 * $0)) }
            // Longest run (at least two) of zero groups, the first one on ties, becomes `::` (RFC 5952).
            var best: (start: Int, length: Int) = (-1, 0)
            var index = 0
            while index < 8 {
                if groups[index] == 0 {
                    var end = index
                    while end < 8, groups[end] == 0 { end += 1 }
                    if end - index > best.length { best = (index, end - index) }
                    index = end
                } else {
                    index += 1
                }
            }
            let hex = groups.map { String($0, radix: 16) }
            guard best.length >= 2 else { return hex.joined(separator: ":") }
            let head = hex[..<best.start].joined(separator: ":")
            let tail = hex[(best.start + best.length)...].joined(separator: ":")
            return head + "::" + tail
        }
    }

    /// `ip("10.0.0.1")`, or `ip("10.0.0.0/24")` when the prefix is not the full width.
    public var description: String {
        let full: UInt8 = isIPv4 ? 32 : 128
        return "ip(\"\(addressText)\(prefix == full ? "" : "/\(prefix)")\")"
    }

    func canonicallyPrecedes(_ other: CedarIPAddr) -> Bool {
        switch (address, other.address) {
        case (.v4(let a), .v4(let b)): return a != b ? a < b : prefix < other.prefix
        case (.v6(let a), .v6(let b)): return a != b ? a < b : prefix < other.prefix
        case (.v4, .v6): return true
        case (.v6, .v4): return false
        }
    }

    // MARK: Address parsing (the rules of Rust's `std::net` parsers, which Cedar uses)

    static func parseAddress(_ bytes: some Collection<UInt8>) -> Address? {
        let bytes = Array(bytes)
        if let v4 = parseIPv4(bytes) { return .v4(v4) }
        if let v6 = parseIPv6(bytes) { return .v6(v6) }
        return nil
    }

    /// Four decimal octets of 1–3 digits, no leading zeros, each at most 255.
    static func parseIPv4(_ bytes: [UInt8]) -> UInt32? {
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ ExtensionText.digit($0) != nil }) else { return nil }
            if part.count > 1, part.first == UInt8(ascii: "0") { return nil }
            let value = part.reduce(0) { $0 * 10 + ExtensionText.digit($1)! }
            guard value <= 255 else { return nil }
            result = result << 8 | UInt32(value)
        }
        return result
    }

    /// Eight groups of 1–4 hex digits, or fewer around a single `::` that stands for at least one zero group.
    static func parseIPv6(_ bytes: [UInt8]) -> UInt128? {
        func groups(_ part: ArraySlice<UInt8>) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            for group in part.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false) {
                guard !group.isEmpty, group.count <= 4 else { return nil }
                var value: UInt16 = 0
                for byte in group {
                    guard let digit = hexDigit(byte) else { return nil }
                    value = value << 4 | UInt16(digit)
                }
                result.append(value)
            }
            return result
        }
        var doubleColon: Int?
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: ":"), bytes[index + 1] == UInt8(ascii: ":") {
                doubleColon = index
                break
            }
            index += 1
        }
        var all: [UInt16]
        if let doubleColon {
            guard let head = groups(bytes[..<doubleColon]), let tail = groups(bytes[(doubleColon + 2)...]),
                head.count + tail.count <= 7
            else { return nil }
            all = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let parsed = groups(bytes[...]), parsed.count == 8 else { return nil }
            all = parsed
        }
        return all.reduce(UInt128(0)) { $0 << 16 | UInt128($1) }
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
