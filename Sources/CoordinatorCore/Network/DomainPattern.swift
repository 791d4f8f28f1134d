/// The domain part of a network rule (`network_policies.domain_pattern`): an exact domain, or `*.suffix` for every
/// name strictly below a suffix.
///
/// Both forms are normalised like ``DomainName`` (trimmed, lower case, one trailing dot dropped, internationalised
/// labels in `xn--` form). `*` is a wildcard only as the whole first label, followed by at least one label: a bare
/// `*`, `*.`, `*example.com`, `a.*.com` and `**.com` are refused, as an ``InputError`` on field `domain_pattern`.
///
/// `*.example.com` matches `a.example.com` and `a.b.example.com`, never `example.com` itself (list the apex as its
/// own rule) and never `badexample.com` or `example.com.evil.net`: names are compared label by label.
public struct DomainPattern: Sendable, Hashable, CustomStringConvertible {
    /// What a pattern names.
    public enum Kind: Sendable, Hashable {
        /// Exactly this domain.
        case exact(DomainName)
        /// Every domain with at least one more label in front of this suffix.
        case subdomains(of: DomainName)
    }

    public let kind: Kind

    /// Normalises `raw`, or throws an ``InputError`` on field `domain_pattern` saying why it is not a pattern.
    public init(_ raw: String) throws(InputError) {
        let field = "domain_pattern"
        let text = Substring(raw).drop(while: { Self.isASCIIWhitespace($0) })
        if text.hasPrefix("*") {
            guard text.hasPrefix("*.") else {
                let message = text.drop(while: { Self.isASCIIWhitespace($0) || $0 == "*" }).isEmpty
                    ? "must not be a bare `*` (it would match every domain); write `*.suffix` or an exact domain, got \(String(reflecting: raw))"
                    : "may use `*` only as the whole first label, as in `*.example.com`, got \(String(reflecting: raw))"
                throw InputError(field: field, message)
            }
            let suffix = text.dropFirst(2)
            guard !suffix.contains("*") else {
                throw InputError(field: field, "may use `*` only as the whole first label, as in `*.example.com`, got \(String(reflecting: raw))")
            }
            guard !suffix.allSatisfy({ Self.isASCIIWhitespace($0) || $0 == "." }) else {
                throw InputError(field: field, "needs a suffix after `*.`, as in `*.example.com`, got \(String(reflecting: raw))")
            }
            kind = .subdomains(of: try DomainName(String(suffix), field: field))
        } else {
            guard !text.contains("*") else {
                throw InputError(field: field, "may use `*` only as the whole first label, as in `*.example.com`, got \(String(reflecting: raw))")
            }
            kind = .exact(try DomainName(raw, field: field))
        }
    }

    /// A pattern naming exactly `domain`.
    public init(exactly domain: DomainName) { kind = .exact(domain) }

    /// A pattern naming every domain strictly below `suffix`.
    public init(subdomainsOf suffix: DomainName) { kind = .subdomains(of: suffix) }

    /// The normalised text: `example.com` or `*.example.com`.
    public var text: String {
        switch kind {
        case .exact(let domain): return domain.ascii
        case .subdomains(let suffix): return "*." + suffix.ascii
        }
    }

    public var description: String { text }

    /// True when the pattern names `domain`: the same name for an exact pattern; a name with at least one more
    /// label ending in the suffix's labels for a `*.` pattern.
    public func matches(_ domain: DomainName) -> Bool {
        switch kind {
        case .exact(let exact): return domain == exact
        case .subdomains(let suffix): return domain.isSubdomain(of: suffix)
        }
    }

    private static func isASCIIWhitespace(_ character: Character) -> Bool {
        character == " " || character == "\t" || character == "\n" || character == "\r" || character == "\r\n"
            || character == "\u{0B}" || character == "\u{0C}"
    }
}
