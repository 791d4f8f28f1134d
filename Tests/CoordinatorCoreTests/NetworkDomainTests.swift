import CoordinatorCore
import Testing

/// A string from Unicode code points, as RFC 3492 §7.1 lists its samples.
private func scalars(_ values: [UInt32]) -> String {
    var text = String.UnicodeScalarView()
    for value in values { text.append(Unicode.Scalar(value)!) }
    return String(text)
}

@Suite("Network: Punycode follows RFC 3492")
struct NetworkPunycodeTests {
    /// RFC 3492 §7.1 samples (A, B, C, D, E, G, L, M, O, P, Q, R, S).
    static let rfcSamples: [(String, String)] = [
        (scalars([0x0644, 0x064A, 0x0647, 0x0645, 0x0627, 0x0628, 0x062A, 0x0643, 0x0644, 0x0645, 0x0648, 0x0634, 0x0639,
                  0x0631, 0x0628, 0x064A, 0x061F]), "egbpdaj6bu4bxfgehfvwxn"),
        (scalars([0x4ED6, 0x4EEC, 0x4E3A, 0x4EC0, 0x4E48, 0x4E0D, 0x8BF4, 0x4E2D, 0x6587]), "ihqwcrb4cv8a8dqg056pqjye"),
        (scalars([0x4ED6, 0x5011, 0x7232, 0x4EC0, 0x9EBD, 0x4E0D, 0x8AAA, 0x4E2D, 0x6587]), "ihqwctvzc91f659drss3x8bo0yb"),
        (scalars([0x50, 0x72, 0x6F, 0x10D, 0x70, 0x72, 0x6F, 0x73, 0x74, 0x11B, 0x6E, 0x65, 0x6D, 0x6C, 0x75, 0x76, 0xED,
                  0x10D, 0x65, 0x73, 0x6B, 0x79]), "Proprostnemluvesky-uyb24dma41a"),
        (scalars([0x05DC, 0x05DE, 0x05D4, 0x05D4, 0x05DD, 0x05E4, 0x05E9, 0x05D5, 0x05D8, 0x05DC, 0x05D0, 0x05DE, 0x05D3,
                  0x05D1, 0x05E8, 0x05D9, 0x05DD, 0x05E2, 0x05D1, 0x05E8, 0x05D9, 0x05EA]), "4dbcagdahymbxekheh6e0a7fei0b"),
        (scalars([0x306A, 0x305C, 0x307F, 0x3093, 0x306A, 0x65E5, 0x672C, 0x8A9E, 0x3092, 0x8A71, 0x3057, 0x3066, 0x304F,
                  0x308C, 0x306A, 0x3044, 0x306E, 0x304B]), "n8jok5ay5dzabd5bym9f0cm5685rrjetr6pdxa"),
        (scalars([0x33, 0x5E74, 0x42, 0x7D44, 0x91D1, 0x516B, 0x5148, 0x751F]), "3B-ww4c5e180e575a65lsy2b"),
        (scalars([0x5B89, 0x5BA4, 0x5948, 0x7F8E, 0x6075]) + "-with-SUPER-MONKEYS", "-with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n"),
        (scalars([0x3072, 0x3068, 0x3064, 0x5C4B, 0x6839, 0x306E, 0x4E0B, 0x32]), "2-u9tlzr9756bt3uc0v"),
        (scalars([0x4D, 0x61, 0x6A, 0x69, 0x3067, 0x4B, 0x6F, 0x69, 0x3059, 0x308B, 0x35, 0x79D2, 0x524D]), "MajiKoi5-783gue6qz075azm5e"),
        (scalars([0x30D1, 0x30D5, 0x30A3, 0x30FC, 0x64, 0x65, 0x30EB, 0x30F3, 0x30D0]), "de-jg4avhby1noc0d"),
        (scalars([0x305D, 0x306E, 0x30B9, 0x30D4, 0x30FC, 0x30C9, 0x3067]), "d9juau41awczczp"),
        ("-> $1.00 <-", "-> $1.00 <--"),
    ]

    @Test(arguments: rfcSamples)
    func encodesRFCSamples(_ unicode: String, _ punycode: String) {
        #expect(Punycode.encode(unicode) == punycode)
    }

    @Test(arguments: rfcSamples)
    func decodesRFCSamples(_ unicode: String, _ punycode: String) {
        #expect(Punycode.decode(punycode) == unicode)
    }

    @Test(arguments: [
        ("bücher", "bcher-kva"), ("münchen", "mnchen-3ya"), ("ü", "tda"), ("faß", "fa-hia"), ("日本語", "wgv71a119e"),
        ("пример", "e1afmkfd"), ("παράδειγμα", "hxajbheg2az3al"), ("☃", "n3h"), ("😀", "e28h"), ("abc", "abc-"), ("", ""),
    ])
    func encodesWords(_ unicode: String, _ punycode: String) {
        #expect(Punycode.encode(unicode) == punycode)
        #expect(Punycode.decode(punycode) == unicode)
    }

    @Test(arguments: ["straße", "ÄÖÜ-äöü", "a😀b😀c", "123-日本-456", "\u{10FFFF}\u{80}", String(repeating: "é", count: 40)])
    func roundTrips(_ text: String) throws {
        let encoded = try #require(Punycode.encode(text))
        #expect(encoded.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(Punycode.decode(encoded) == text)
    }

    @Test func decodesDigitsInEitherCase() {
        #expect(Punycode.decode("bcher-KVA") == "bücher")
    }

    @Test(arguments: [
        "bücher-kva",   // non-ASCII basic part
        "bcher-kv!",    // not a digit
        "bcher-k",      // number cut short
        "999999999999", // overflow
        "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
    ])
    func refusesInvalidInput(_ encoded: String) {
        #expect(Punycode.decode(encoded) == nil)
    }
}

@Suite("Network: domain names have one normalised form")
struct NetworkDomainNameTests {
    @Test(arguments: [
        ("example.com", "example.com"),
        ("  Example.COM.  ", "example.com"),
        ("\tAPI.GitHub.com\r\n", "api.github.com"),
        ("localhost", "localhost"),
        ("10.0.0.1", "10.0.0.1"),
        ("_dmarc.Example.com", "_dmarc.example.com"),
        ("r3---sn-abc.googlevideo.com", "r3---sn-abc.googlevideo.com"),
        ("Bücher.de", "xn--bcher-kva.de"),
        ("MÜNCHEN.DE.", "xn--mnchen-3ya.de"),
        ("例え.テスト", "xn--r8jz45g.xn--zckzah"),
        ("пример.рф", "xn--e1afmkfd.xn--p1ai"),
        ("xn--bcher-kva.de", "xn--bcher-kva.de"),
        ("XN--BCHER-KVA.De", "xn--bcher-kva.de"),
        ("example\u{3002}com", "example.com"),
        ("shop\u{FF0E}bücher\u{FF61}de", "shop.xn--bcher-kva.de"),
        ("\u{212A}.com", "k.com"),  // Kelvin sign lower-cases to ASCII k
    ])
    func normalises(_ raw: String, _ ascii: String) throws {
        #expect(try DomainName(raw).ascii == ascii)
    }

    @Test func exposesLabels() throws {
        let name = try DomainName("API.github.com.")
        #expect(name.labels == ["api", "github", "com"])
        #expect(name.description == "api.github.com")
        #expect(try DomainName("localhost").labels == ["localhost"])
    }

    @Test func unicodeAndASCIISpellingsAreOneName() throws {
        #expect(try DomainName("bücher.de") == DomainName("XN--BCHER-KVA.DE."))
        #expect(try Set([DomainName("Bücher.de"), DomainName("xn--bcher-kva.de")]).count == 1)
    }

    @Test(arguments: [
        "", "   ", ".", "..", "\n",
        "*.example.com", "exa*mple.com", "*",
        "https://example.com", "example.com/path", "example.com?q", "example.com#x", "a\\b.com",
        "example.com:443", "::1", "[::1]", "user@example.com",
        "exa mple.com", "a\tb.com", "a\u{00A0}b.com", "a\u{0}b.com", "a\u{200B}b.com", "a\u{00AD}b.com", "a\u{E000}.com",
        "a..b", ".example.com", "example.com..", "-a.com", "a-.com", "-.com", "bü-.de", "-bü.de",
        "a!.com", "a,b.com", "a+b.com",
        "xn--abc-.com",   // Punycode of an ASCII-only label
        "xn--zz.com",     // not valid Punycode
        "xn--Bcher-kva-",  // ends with '-'
    ])
    func refuses(_ raw: String) {
        #expect(throws: InputError.self) { try DomainName(raw) }
    }

    @Test func refusesOnTheDomainField() {
        #expect(throws: InputError(field: "domain", "must not be empty")) { try DomainName("  ") }
        #expect { try DomainName("*.example.com") } throws: { error in
            guard let error = error as? InputError else { return false }
            return error.field == "domain" && error.detail.contains("not a pattern")
        }
        #expect { try DomainName("https://example.com") } throws: { error in
            (error as? InputError)?.detail.contains("not a URL") == true
        }
    }

    @Test func limitsLabelLength() throws {
        let longest = String(repeating: "a", count: 63)
        #expect(try DomainName("\(longest).com").labels[0] == longest)
        #expect(throws: InputError.self) { try DomainName(String(repeating: "a", count: 64) + ".com") }
        // The limit applies to the ASCII form: 27 characters, but `xn--` and 63 more bytes once encoded.
        let unicode = "他们为什么不说中文なぜみんな日本語を話してくれないのか"
        #expect(Punycode.encode(unicode)?.utf8.count == 63)
        #expect { try DomainName(unicode + ".de") } throws: { error in
            (error as? InputError)?.detail.contains("longer than 63 bytes") == true
        }
    }

    @Test func limitsNameLength() throws {
        let label = String(repeating: "a", count: 63)
        let longest = [label, label, label, String(repeating: "b", count: 61)].joined(separator: ".")
        #expect(longest.utf8.count == 253)
        #expect(try DomainName(longest + ".").ascii == longest)
        #expect(throws: InputError.self) { try DomainName(longest + "b") }
        #expect(throws: InputError.self) { try DomainName([label, label, label, label].joined(separator: ".")) }
    }
}

@Suite("Network: domain patterns are exact or *.suffix")
struct NetworkDomainPatternTests {
    @Test(arguments: [
        ("example.com", "example.com"),
        (" Example.COM. ", "example.com"),
        ("*.Example.COM.", "*.example.com"),
        ("  *.bücher.de", "*.xn--bcher-kva.de"),
        ("*.com", "*.com"),
    ])
    func normalises(_ raw: String, _ text: String) throws {
        #expect(try DomainPattern(raw).text == text)
    }

    @Test func distinguishesKinds() throws {
        #expect(try DomainPattern("*.example.com").kind == .subdomains(of: DomainName("example.com")))
        #expect(try DomainPattern("example.com").kind == .exact(DomainName("example.com")))
        #expect(try DomainPattern("*.example.com") == DomainPattern(subdomainsOf: DomainName("EXAMPLE.com")))
    }

    @Test(arguments: ["", "  ", "*", " * ", "**", "*.", "*. ", "*..", "**.com", "*example.com", "a.*.com", "example.*",
                      "*.*.com", "*.a..b", "*.-a.com", "https://example.com", "*.example.com:443"])
    func refuses(_ raw: String) {
        #expect { try DomainPattern(raw) } throws: { error in
            (error as? InputError)?.field == "domain_pattern"
        }
    }

    @Test func bareStarSaysWhy() {
        #expect { try DomainPattern("*") } throws: { error in
            (error as? InputError)?.detail.contains("bare `*`") == true
        }
    }

    @Test(arguments: [
        ("*.example.com", "a.example.com", true),
        ("*.example.com", "a.b.example.com", true),
        ("*.example.com", "A.EXAMPLE.COM.", true),
        ("*.example.com", "example.com", false),
        ("*.example.com", "badexample.com", false),
        ("*.example.com", "a.badexample.com", false),
        ("*.example.com", "example.com.evil.net", false),
        ("*.example.com", "a.example.com.evil.net", false),
        ("*.example.com", "example.org", false),
        ("*.com", "example.com", true),
        ("*.com", "com", false),
        ("*.bücher.de", "shop.xn--bcher-kva.de", true),
        ("*.xn--bcher-kva.de", "Shop.Bücher.de", true),
        ("example.com", "example.com", true),
        ("example.com", "EXAMPLE.com.", true),
        ("example.com", "a.example.com", false),
        ("example.com", "badexample.com", false),
        ("example.com", "example.co", false),
        ("10.0.0.1", "10.0.0.1", true),
        ("*.0.0.1", "10.0.0.1", true),
    ])
    func matches(_ pattern: String, _ domain: String, _ expected: Bool) throws {
        #expect(try DomainPattern(pattern).matches(DomainName(domain)) == expected)
    }
}
