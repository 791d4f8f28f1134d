/// The parsed form of a pattern. Case-insensitivity is already applied: every ASCII letter in a literal or a
/// class appears in both cases.
indirect enum RegexNode: Sendable, Equatable {
    /// Matches the empty string.
    case empty
    /// Matches one Unicode scalar from the set (a literal, `.`, an escape class or a bracket expression).
    case scalars(ScalarSet)
    /// Matches the items one after another.
    case concatenation([RegexNode])
    /// Matches any one of the branches.
    case alternation([RegexNode])
    /// Matches `node` between `min` and `max` times (`max == nil`: unbounded).
    case repetition(RegexNode, min: Int, max: Int?)
    /// `^`: the start of the text.
    case startAnchor
    /// `$`: the end of the text.
    case endAnchor
}

/// A set of Unicode scalar values kept as sorted, disjoint, non-adjacent closed ranges.
///
/// The universe is 0...0x10FFFF including the surrogate gap: surrogates never occur in a Swift `String`, and
/// keeping them lets complements stay as few ranges as possible.
struct ScalarSet: Sendable, Hashable {
    /// Highest scalar value.
    static let maxValue: UInt32 = 0x10FFFF

    /// Sorted, disjoint, non-adjacent ranges.
    private(set) var ranges: [ClosedRange<UInt32>]

    /// The empty set.
    init() { ranges = [] }

    /// The set covering `ranges` (in any order, possibly overlapping).
    init(_ ranges: [ClosedRange<UInt32>]) {
        self.ranges = Self.normalized(ranges)
    }

    /// The set holding one scalar.
    init(scalar: Unicode.Scalar) {
        ranges = [scalar.value...scalar.value]
    }

    /// Every scalar (what `.` matches).
    static let all = ScalarSet([0...maxValue])
    /// `\d`: ASCII digits.
    static let digits = ScalarSet([0x30...0x39])
    /// `\w`: ASCII letters, digits and underscore.
    static let wordCharacters = ScalarSet([0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
    /// `\s`: space, tab, newline, vertical tab, form feed, carriage return.
    static let whitespace = ScalarSet([0x09...0x0D, 0x20...0x20])

    /// True when no scalar is in the set.
    var isEmpty: Bool { ranges.isEmpty }

    /// True when `value` is in the set.
    func contains(_ value: UInt32) -> Bool {
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound < value {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low < ranges.count && ranges[low].contains(value)
    }

    /// The union of both sets.
    func union(_ other: ScalarSet) -> ScalarSet {
        ScalarSet(ranges + other.ranges)
    }

    /// Every scalar not in this set.
    func complemented() -> ScalarSet {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        var reachedEnd = false
        for range in ranges {
            if range.lowerBound > next {
                result.append(next...(range.lowerBound - 1))
            }
            if range.upperBound >= Self.maxValue {
                reachedEnd = true
                break
            }
            next = range.upperBound + 1
        }
        if !reachedEnd {
            result.append(next...Self.maxValue)
        }
        var set = ScalarSet()
        set.ranges = result
        return set
    }

    /// This set plus the other case of every ASCII letter in it (non-ASCII scalars are left alone).
    func caseFolded() -> ScalarSet {
        var extra: [ClosedRange<UInt32>] = []
        for range in ranges {
            let upperLow = max(range.lowerBound, 0x41)
            let upperHigh = min(range.upperBound, 0x5A)
            if upperLow <= upperHigh {
                extra.append((upperLow + 0x20)...(upperHigh + 0x20))
            }
            let lowerLow = max(range.lowerBound, 0x61)
            let lowerHigh = min(range.upperBound, 0x7A)
            if lowerLow <= lowerHigh {
                extra.append((lowerLow - 0x20)...(lowerHigh - 0x20))
            }
        }
        return extra.isEmpty ? self : ScalarSet(ranges + extra)
    }

    private static func normalized(_ input: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        let sorted = input.sorted { $0.lowerBound < $1.lowerBound }
        var result: [ClosedRange<UInt32>] = []
        result.reserveCapacity(sorted.count)
        for range in sorted {
            if let last = result.last, range.lowerBound <= last.upperBound &+ 1, last.upperBound != UInt32.max {
                if range.upperBound > last.upperBound {
                    result[result.count - 1] = last.lowerBound...range.upperBound
                }
            } else {
                result.append(range)
            }
        }
        return result
    }
}
