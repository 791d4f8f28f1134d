/// Punycode (RFC 3492): the Bootstring encoding that turns a Unicode domain label into the ASCII letters, digits
/// and hyphens DNS can carry, with the standard parameters (base 36, tmin 1, tmax 26, skew 38, damp 700, initial
/// bias 72, initial n 128, delimiter `-`).
///
/// Both directions work on one label without the `xn--` prefix (``DomainName`` adds it). Basic code points (ASCII)
/// are copied as they are, case included; the digits the encoder generates are lower case and the decoder accepts
/// either case. No case annotation (RFC 3492 appendix A) is produced or interpreted.
public enum Punycode {
    private static let base = 36
    private static let tMin = 1
    private static let tMax = 26
    private static let skew = 38
    private static let damp = 700
    private static let initialBias = 72
    private static let initialN = 0x80
    private static let delimiter: UInt8 = 0x2D  // "-"
    /// The largest value any intermediate result may take: the RFC's 32-bit-friendly bound, identical on every
    /// platform, so that encode and decode refuse the same absurd inputs everywhere.
    private static let maxInt = Int(Int32.max)

    /// The Punycode form of `label` (without `xn--`), or nil when the label is so long that the encoding would
    /// overflow (far beyond anything a 63-byte DNS label can hold).
    ///
    /// An all-ASCII label encodes as itself followed by the delimiter (`abc` → `abc-`); the empty label as itself.
    public static func encode(_ label: String) -> String? {
        let input = label.unicodeScalars.map { Int($0.value) }
        var output: [UInt8] = input.filter { $0 < initialN }.map { UInt8($0) }
        let basicCount = output.count
        var handled = basicCount
        if basicCount > 0 { output.append(delimiter) }

        var n = initialN
        var delta = 0
        var bias = initialBias
        while handled < input.count {
            // The smallest code point not yet handled; every remaining one is at least n.
            guard let next = input.filter({ $0 >= n }).min() else { return nil }
            let step = next - n
            guard step <= (maxInt - delta) / (handled + 1) else { return nil }
            delta += step * (handled + 1)
            n = next
            for codePoint in input {
                if codePoint < n {
                    delta += 1
                    guard delta <= maxInt else { return nil }
                }
                guard codePoint == n else { continue }
                var q = delta
                var k = base
                while true {
                    let t = threshold(k, bias)
                    if q < t { break }
                    output.append(digit(t + (q - t) % (base - t)))
                    q = (q - t) / (base - t)
                    k += base
                }
                output.append(digit(q))
                bias = adapt(delta: delta, count: handled + 1, first: handled == basicCount)
                delta = 0
                handled += 1
            }
            delta += 1
            n += 1
            guard delta <= maxInt, n <= maxInt else { return nil }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The label that `encoded` (without `xn--`) stands for, or nil when it is not valid Punycode: a non-ASCII
    /// basic part, a character that is not a digit, a truncated number, an overflow, or a result that is not a
    /// Unicode scalar (a surrogate or beyond U+10FFFF).
    public static func decode(_ encoded: String) -> String? {
        let bytes = Array(encoded.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        var output: [Int] = []
        var position = 0
        if let last = bytes.lastIndex(of: delimiter) {
            output = bytes[..<last].map { Int($0) }
            position = last + 1
        }

        var n = initialN
        var i = 0
        var bias = initialBias
        while position < bytes.count {
            let oldI = i
            var weight = 1
            var k = base
            while true {
                guard position < bytes.count, let value = digitValue(bytes[position]) else { return nil }
                position += 1
                guard value <= (maxInt - i) / weight else { return nil }
                i += value * weight
                let t = threshold(k, bias)
                if value < t { break }
                guard weight <= maxInt / (base - t) else { return nil }
                weight *= base - t
                k += base
            }
            let count = output.count + 1
            bias = adapt(delta: i - oldI, count: count, first: oldI == 0)
            guard i / count <= maxInt - n else { return nil }
            n += i / count
            i %= count
            guard n >= initialN, Unicode.Scalar(UInt32(n)) != nil else { return nil }
            output.insert(n, at: i)
            i += 1
        }
        var text = String.UnicodeScalarView()
        for codePoint in output {
            guard let scalar = Unicode.Scalar(UInt32(codePoint)) else { return nil }
            text.append(scalar)
        }
        return String(text)
    }

    /// t(k): clamped between tmin and tmax (RFC 3492 §6.1).
    private static func threshold(_ k: Int, _ bias: Int) -> Int {
        if k <= bias + tMin { return tMin }
        if k >= bias + tMax { return tMax }
        return k - bias
    }

    /// The bias adaptation function (RFC 3492 §6.1).
    private static func adapt(delta rawDelta: Int, count: Int, first: Bool) -> Int {
        var delta = first ? rawDelta / damp : rawDelta / 2
        delta += delta / count
        var k = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }

    /// 0–25 → `a`–`z`, 26–35 → `0`–`9`.
    private static func digit(_ value: Int) -> UInt8 {
        value < 26 ? UInt8(0x61 + value) : UInt8(0x30 + value - 26)
    }

    /// `a`–`z` and `A`–`Z` → 0–25, `0`–`9` → 26–35; anything else is not a digit.
    private static func digitValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x61...0x7A: return Int(byte - 0x61)
        case 0x41...0x5A: return Int(byte - 0x41)
        case 0x30...0x39: return Int(byte - 0x30) + 26
        default: return nil
        }
    }
}
