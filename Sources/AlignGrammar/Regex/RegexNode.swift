// RegexNode: the syntax tree of a regular expression over Unicode scalar values, as parsed from the
// ECMAScript subset that JSON Schema `pattern` uses (ECMA-262 §22.2; JSON Schema 2020-12 §6.4).
// Lowered to bytes by RegexLowering with a chosen encoding (UTF-8, or canonical JSON string escapes).

/// A parsed regular expression.
public indirect enum RegexNode: Sendable {
    /// The empty string.
    case empty
    /// One scalar from a set of closed ranges (sorted, disjoint).
    case chars([ClosedRange<UInt32>])
    /// Concatenation.
    case seq([RegexNode])
    /// Alternation.
    case alt([RegexNode])
    /// Between `min` and `max` (nil = unbounded) copies.
    case `repeat`(RegexNode, min: Int, max: Int?)
    /// `^` (start of input; no multiline flag).
    case startAnchor
    /// `$` (end of input; no multiline flag).
    case endAnchor
}

/// Sets of scalars as sorted disjoint ranges.
enum ScalarSet {
    static let maxScalar: UInt32 = 0x10FFFF

    /// Sorts and merges overlapping or adjacent ranges.
    static func normalize(_ rs: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        let sorted = rs.sorted { $0.lowerBound < $1.lowerBound }
        var out: [ClosedRange<UInt32>] = []
        for r in sorted {
            if let last = out.last, r.lowerBound <= last.upperBound &+ 1 {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else { out.append(r) }
        }
        return out
    }

    /// The complement within 0…0x10FFFF.
    static func complement(_ rs: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var out: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for r in normalize(rs) {
            if r.lowerBound > next { out.append(next...(r.lowerBound - 1)) }
            if r.upperBound >= maxScalar { return out }
            next = r.upperBound + 1
        }
        out.append(next...maxScalar)
        return out
    }

    static let digit: [ClosedRange<UInt32>] = [0x30...0x39]
    static let word: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]
    /// ECMA-262 WhiteSpace and LineTerminator code points (§12.2, §12.3).
    static let space: [ClosedRange<UInt32>] = normalize([
        0x09...0x0D, 0x20...0x20, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A, 0x2028...0x2029,
        0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000, 0xFEFF...0xFEFF,
    ])
    /// `.` without the dotAll flag: everything except line terminators.
    static let dot: [ClosedRange<UInt32>] = complement([0x0A...0x0A, 0x0D...0x0D, 0x2028...0x2029])
    static let any: [ClosedRange<UInt32>] = [0...maxScalar]
}
