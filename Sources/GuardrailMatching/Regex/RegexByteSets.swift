/// A set of byte values (a 256-bit bitmap).
struct ByteSet: Sendable, Hashable {
    private var word0: UInt64 = 0
    private var word1: UInt64 = 0
    private var word2: UInt64 = 0
    private var word3: UInt64 = 0

    /// The empty set.
    init() {}

    /// The set of bytes in `range`.
    init(_ range: ClosedRange<UInt8>) {
        insert(range)
    }

    /// Every byte.
    static let all = ByteSet(0...255)

    /// True when `byte` is in the set.
    @inline(__always)
    func contains(_ byte: UInt8) -> Bool {
        let word: UInt64
        switch byte >> 6 {
        case 0: word = word0
        case 1: word = word1
        case 2: word = word2
        default: word = word3
        }
        return (word >> UInt64(byte & 63)) & 1 != 0
    }

    /// Adds `byte`.
    mutating func insert(_ byte: UInt8) {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: word0 |= bit
        case 1: word1 |= bit
        case 2: word2 |= bit
        default: word3 |= bit
        }
    }

    /// Adds every byte in `range`.
    mutating func insert(_ range: ClosedRange<UInt8>) {
        for byte in range { insert(byte) }
    }

    /// Adds every byte of `other`.
    mutating func formUnion(_ other: ByteSet) {
        word0 |= other.word0
        word1 |= other.word1
        word2 |= other.word2
        word3 |= other.word3
    }

    /// True when no byte is in the set.
    var isEmpty: Bool { word0 | word1 | word2 | word3 == 0 }
}

/// A partition of the 256 byte values into equivalence classes: two bytes share a class when every byte set of
/// the automaton either contains both or neither, so DFA tables need one column per class, not per byte.
struct ByteClasses: Sendable {
    /// The class of every byte.
    let classOf: [UInt8]
    /// One byte of each class.
    let representatives: [UInt8]

    /// The number of classes.
    var count: Int { representatives.count }

    /// The coarsest partition that separates every set in `sets` from its complement.
    init(sets: [ByteSet]) {
        var classes = [Int](repeating: 0, count: 256)
        var count = 1
        for set in sets {
            // Refine: (old class, membership) pairs become the new classes, numbered by first appearance.
            var renumber = [Int](repeating: -1, count: count * 2)
            var next = 0
            for byte in 0..<256 {
                let key = classes[byte] * 2 + (set.contains(UInt8(byte)) ? 1 : 0)
                if renumber[key] < 0 {
                    renumber[key] = next
                    next += 1
                }
                classes[byte] = renumber[key]
            }
            count = next
            if count == 256 { break }
        }
        var representatives = [UInt8](repeating: 0, count: count)
        var seen = [Bool](repeating: false, count: count)
        for byte in 0..<256 where !seen[classes[byte]] {
            seen[classes[byte]] = true
            representatives[classes[byte]] = UInt8(byte)
        }
        self.classOf = classes.map { UInt8($0) }
        self.representatives = representatives
    }
}

/// Turns sets of Unicode scalars into alternatives of UTF-8 byte-range sequences, so a class always consumes one
/// whole encoded scalar.
enum UTF8Sequences {
    /// Byte-range sequences whose union matches exactly the UTF-8 encodings of the scalars in `set` that can
    /// occur in valid UTF-8 text. Single-byte alternatives come first.
    static func sequences(for set: ScalarSet) -> [[ClosedRange<UInt8>]] {
        var result: [[ClosedRange<UInt8>]] = []
        let buckets: [(length: Int, low: UInt32, high: UInt32)] = [
            (1, 0, 0x7F), (2, 0x80, 0x7FF), (3, 0x800, 0xFFFF), (4, 0x1_0000, 0x10_FFFF),
        ]
        for bucket in buckets {
            for range in set.ranges {
                let low = max(range.lowerBound, bucket.low)
                let high = min(range.upperBound, bucket.high)
                guard low <= high else { continue }
                if bucket.length == 1 {
                    result.append([UInt8(low)...UInt8(high)])
                } else if low == bucket.low && high == bucket.high {
                    // The whole length bucket. Valid text never holds overlong forms, surrogates or values past
                    // U+10FFFF, so lead byte + continuation bytes is exact there and needs fewer byte classes.
                    let continuation: ClosedRange<UInt8> = 0x80...0xBF
                    switch bucket.length {
                    case 2: result.append([0xC2...0xDF, continuation])
                    case 3: result.append([0xE0...0xEF, continuation, continuation])
                    default: result.append([0xF0...0xF4, continuation, continuation, continuation])
                    }
                } else {
                    split(low, high, length: bucket.length, into: &result)
                }
            }
        }
        return result
    }

    /// Splits `low...high` (values of the same encoded length) until each piece is a product of byte ranges.
    private static func split(_ low: UInt32, _ high: UInt32, length: Int, into result: inout [[ClosedRange<UInt8>]]) {
        for continuationCount in 1..<length {
            let mask: UInt32 = (1 << (6 * UInt32(continuationCount))) - 1
            if low & ~mask != high & ~mask {
                if low & mask != 0 {
                    split(low, low | mask, length: length, into: &result)
                    split((low | mask) + 1, high, length: length, into: &result)
                    return
                }
                if high & mask != mask {
                    split(low, (high & ~mask) - 1, length: length, into: &result)
                    split(high & ~mask, high, length: length, into: &result)
                    return
                }
            }
        }
        let lowBytes = encode(low, length: length)
        let highBytes = encode(high, length: length)
        result.append(zip(lowBytes, highBytes).map { $0...$1 })
    }

    /// The `length`-byte UTF-8 encoding of `value`.
    static func encode(_ value: UInt32, length: Int) -> [UInt8] {
        switch length {
        case 1:
            return [UInt8(value)]
        case 2:
            return [UInt8(0xC0 | (value >> 6)), UInt8(0x80 | (value & 0x3F))]
        case 3:
            return [
                UInt8(0xE0 | (value >> 12)), UInt8(0x80 | ((value >> 6) & 0x3F)), UInt8(0x80 | (value & 0x3F)),
            ]
        default:
            return [
                UInt8(0xF0 | (value >> 18)), UInt8(0x80 | ((value >> 12) & 0x3F)),
                UInt8(0x80 | ((value >> 6) & 0x3F)), UInt8(0x80 | (value & 0x3F)),
            ]
        }
    }
}
