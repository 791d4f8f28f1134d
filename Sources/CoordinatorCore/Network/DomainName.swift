/// A host name in the one canonical ASCII form that network rules are compared in.
///
/// Normalisation: ASCII white space around the name is trimmed, one trailing dot (the DNS root) is dropped, ASCII
/// letters are lower-cased, and the ideographic full stops U+3002, U+FF0E and U+FF61 separate labels like `.` does
/// (RFC 3490 §3.1), so that `example。com` cannot pass for a name other than `example.com`.
///
/// Internationalised names: a label holding non-ASCII characters is lower-cased with `String.lowercased()` and
/// converted to its ASCII form, `xn--` followed by its ``Punycode`` encoding (`bücher.de` → `xn--bcher-kva.de`). A
/// label already written as `xn--…` must be exactly that form of some lower-case non-ASCII label, so a name has one
/// ASCII spelling (`XN--BCHER-KVA.de` and `Bücher.de` are the same name). Only that much of IDNA is done: the full IDNA2008 / UTS #46 mapping (compatibility forms such as full-width letters, NFC
/// normalisation, the per-character validity and bidi rules) is out of scope, so a name spelt with such forms stays
/// a different name from its mapped form.
///
/// Refused, as an ``InputError`` on field `domain`: an empty name; `*` (a domain is not a pattern, see
/// ``DomainPattern``); `/`, `:`, `@`, `?`, `#` and other URL punctuation (a host name, not a URL; `:` also means no
/// port and no IPv6 literal); white space, control or invisible formatting characters (except the joiners U+200C
/// and U+200D) inside; an empty label (`a..b`, `.a`); a label starting or ending with `-`; a label longer than 63
/// bytes or a name longer than 253 bytes in ASCII form. ASCII labels may hold letters, digits, `-` and `_` (which
/// real host names do carry). IPv4 literals such as `10.0.0.1` are names like any other and are kept as written.
public struct DomainName: Sendable, Hashable, CustomStringConvertible {
    /// The longest label, in bytes of its ASCII form (RFC 1035).
    public static let maxLabelLength = 63
    /// The longest name, in bytes of its ASCII form without the trailing dot.
    public static let maxLength = 253

    /// The normalised ASCII form: lower case, no trailing dot, `xn--` labels for internationalised ones.
    public let ascii: String
    /// The labels of ``ascii``, left to right (`["api", "github", "com"]`).
    public let labels: [String]

    /// Normalises `raw`, or throws an ``InputError`` on field `domain` saying why it is not a host name.
    public init(_ raw: String) throws(InputError) {
        try self.init(raw, field: "domain")
    }

    /// Normalises `raw`, reporting errors on `field` (``DomainPattern`` reports on `domain_pattern`).
    init(_ raw: String, field: String) throws(InputError) {
        let labels = try DomainName.normalisedLabels(raw, field: field)
        self.labels = labels
        self.ascii = labels.joined(separator: ".")
    }

    public var description: String { ascii }

    /// True when this name lies strictly below `suffix`: it has more labels, and its last labels are those of
    /// `suffix` (`a.b.example.com` is below `example.com`; `example.com` and `badexample.com` are not).
    public func isSubdomain(of suffix: DomainName) -> Bool {
        labels.count > suffix.labels.count && labels.suffix(suffix.labels.count).elementsEqual(suffix.labels)
    }

    // MARK: - Normalisation

    private static let labelSeparators: Set<Unicode.Scalar> = [".", "\u{3002}", "\u{FF0E}", "\u{FF61}"]

    private static func normalisedLabels(_ raw: String, field: String) throws(InputError) -> [String] {
        var scalars = Substring(raw).unicodeScalars
        while let first = scalars.first, isASCIIWhitespace(first) { scalars.removeFirst() }
        while let last = scalars.last, isASCIIWhitespace(last) { scalars.removeLast() }
        let quoted = String(reflecting: raw)
        guard !scalars.isEmpty else { throw InputError(field: field, "must not be empty") }
        try checkCharacters(scalars, quoted: quoted, field: field)

        var parts: [String.UnicodeScalarView] = [String.UnicodeScalarView()]
        for scalar in scalars {
            if labelSeparators.contains(scalar) {
                parts.append(String.UnicodeScalarView())
            } else {
                parts[parts.count - 1].append(scalar)
            }
        }
        // One trailing dot names the DNS root and is dropped; a second one leaves an empty label, refused below.
        if parts.count > 1, parts[parts.count - 1].isEmpty { parts.removeLast() }
        guard parts.contains(where: { !$0.isEmpty }) else {
            throw InputError(field: field, "must be a host name, got \(quoted)")
        }

        var labels: [String] = []
        labels.reserveCapacity(parts.count)
        for part in parts {
            labels.append(try asciiLabel(String(part), quoted: quoted, field: field))
        }
        let length = labels.reduce(labels.count - 1) { $0 + $1.utf8.count }
        guard length <= maxLength else {
            throw InputError(field: field, "must be at most \(maxLength) bytes in ASCII form, got \(length) for \(quoted)")
        }
        return labels
    }

    /// Refuses what makes `raw` a pattern, a URL or not a name at all, naming the first offending character.
    private static func checkCharacters(_ scalars: Substring.UnicodeScalarView, quoted: String, field: String) throws(InputError) {
        for scalar in scalars {
            switch scalar {
            case "*":
                throw InputError(field: field, "must be a domain, not a pattern: `*` is not allowed in \(quoted)")
            case "/", "?", "#", "\\":
                throw InputError(field: field, "must be a host name, not a URL: `\(scalar)` is not allowed in \(quoted)")
            case ":" where String(scalars).contains("://"):
                throw InputError(field: field, "must be a host name, not a URL: `:` is not allowed in \(quoted)")
            case ":":
                throw InputError(field: field, "must be a host name without a port (and not an IPv6 literal): `:` is not allowed in \(quoted)")
            case "@":
                throw InputError(field: field, "must be a host name without user information: `@` is not allowed in \(quoted)")
            default:
                break
            }
            if scalar.properties.isWhitespace || scalar.properties.generalCategory == .control {
                throw InputError(field: field, "must not contain white space or control characters, got \(quoted)")
            }
            if scalar.isASCII, !labelSeparators.contains(scalar), !isASCIILabelCharacter(scalar) {
                throw InputError(field: field, "may hold only letters, digits, `-`, `_` and dots: `\(scalar)` is not allowed in \(quoted)")
            }
            switch scalar.properties.generalCategory {
            case .format where scalar != "\u{200C}" && scalar != "\u{200D}",  // invisible (soft hyphen, zero-width space, …)
                 .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator:
                throw InputError(field: field, "holds a character that cannot appear in a host name (U+\(hex(scalar))) in \(quoted)")
            default:
                break
            }
        }
    }

    /// The ASCII form of one label: lower-cased, Punycode-encoded when it holds non-ASCII characters.
    private static func asciiLabel(_ label: String, quoted: String, field: String) throws(InputError) -> String {
        guard !label.isEmpty else {
            throw InputError(field: field, "has an empty label (a leading dot or two dots in a row) in \(quoted)")
        }
        // Unicode lower-casing may turn a non-ASCII character into an ASCII one (the Kelvin sign into `k`): the
        // label is ASCII or not after lower-casing, and only its ASCII characters are checked again here.
        let lowered = label.unicodeScalars.allSatisfy(\.isASCII) ? asciiLowercased(label) : label.lowercased()
        guard lowered.unicodeScalars.allSatisfy({ !$0.isASCII || isASCIILabelCharacter($0) }) else {
            throw InputError(field: field, "has a label that cannot be converted to a host name label (\(String(reflecting: label))) in \(quoted)")
        }
        guard !lowered.hasPrefix("-"), !lowered.hasSuffix("-") else {
            throw InputError(field: field, "has a label starting or ending with `-` (\(String(reflecting: lowered))) in \(quoted)")
        }
        let encoded: String
        if lowered.unicodeScalars.allSatisfy(\.isASCII) {
            if lowered.hasPrefix("xn--") {
                // Only the form this type itself produces is accepted, so every name has exactly one ASCII spelling.
                let payload = String(lowered.dropFirst(4))
                guard let decoded = Punycode.decode(payload), !decoded.unicodeScalars.allSatisfy(\.isASCII),
                      decoded == decoded.lowercased(), Punycode.encode(decoded) == payload else {
                    throw InputError(field: field, "has an `xn--` label that is not the Punycode form of a lower-case internationalised label (\(String(reflecting: lowered))) in \(quoted)")
                }
            }
            encoded = lowered
        } else {
            guard let punycode = Punycode.encode(lowered) else {
                throw InputError(field: field, "has a label that cannot be converted to ASCII (\(String(reflecting: label))) in \(quoted)")
            }
            encoded = "xn--" + punycode
        }
        guard encoded.utf8.count <= maxLabelLength else {
            throw InputError(field: field, "has a label longer than \(maxLabelLength) bytes in ASCII form (\(encoded.utf8.count) for \(String(reflecting: label))) in \(quoted)")
        }
        return encoded
    }

    private static func isASCIIWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case " ", "\t", "\n", "\r", "\u{0B}", "\u{0C}": return true
        default: return false
        }
    }

    private static func isASCIILabelCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_": return true
        default: return false
        }
    }

    private static func asciiLowercased(_ text: String) -> String {
        String(decoding: text.utf8.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    private static func hex(_ scalar: Unicode.Scalar) -> String {
        let digits = String(scalar.value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
