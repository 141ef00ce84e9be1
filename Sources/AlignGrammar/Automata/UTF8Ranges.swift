// UTF8Ranges: turns a range of Unicode scalar values into byte-range sequences whose concatenation
// matches exactly the UTF-8 encodings of the scalars in the range (surrogates D800–DFFF excluded).
// The splitting scheme follows the well-known construction used by RE2 and Rust's `utf8-ranges`:
// split at encoded-length boundaries, then at continuation-byte boundaries until each piece is a
// product of byte ranges. Written from the description, not copied.

enum UTF8Ranges {
    /// Byte-range sequences for the scalars in `lo...hi`.
    static func sequences(_ lo: UInt32, _ hi: UInt32) -> [[ClosedRange<UInt8>]] {
        var out: [[ClosedRange<UInt8>]] = []
        var pieces: [(UInt32, UInt32)] = []
        // Remove surrogates, clamp to the Unicode range.
        let top = min(hi, 0x10FFFF)
        if lo > top { return [] }
        if lo < 0xD800 { pieces.append((lo, min(top, 0xD7FF))) }
        if top > 0xDFFF { pieces.append((max(lo, 0xE000), top)) }
        for (a, b) in pieces where a <= b { split(a, b, &out) }
        return out
    }

    private static let lengthBounds: [UInt32] = [0x7F, 0x7FF, 0xFFFF, 0x10FFFF]

    private static func split(_ lo: UInt32, _ hi: UInt32, _ out: inout [[ClosedRange<UInt8>]]) {
        // Same encoded length for both ends.
        for bound in lengthBounds.dropLast() where lo <= bound && hi > bound {
            split(lo, bound, &out); split(bound + 1, hi, &out); return
        }
        let n = encodedLength(lo)
        if n > 1 {
            for i in 1..<n {
                let m: UInt32 = (1 << (6 * UInt32(i))) - 1
                if lo & ~m != hi & ~m {
                    if lo & m != 0 { split(lo, lo | m, &out); split((lo | m) + 1, hi, &out); return }
                    if hi & m != m { split(lo, (hi & ~m) - 1, &out); split(hi & ~m, hi, &out); return }
                }
            }
        }
        let a = encode(lo), b = encode(hi)
        out.append(zip(a, b).map { $0...$1 })
    }

    static func encodedLength(_ c: UInt32) -> Int {
        c <= 0x7F ? 1 : c <= 0x7FF ? 2 : c <= 0xFFFF ? 3 : 4
    }

    /// UTF-8 bytes of scalar `c` (c must not be a surrogate).
    static func encode(_ c: UInt32) -> [UInt8] {
        switch encodedLength(c) {
        case 1: return [UInt8(c)]
        case 2: return [UInt8(0xC0 | (c >> 6)), UInt8(0x80 | (c & 0x3F))]
        case 3: return [UInt8(0xE0 | (c >> 12)), UInt8(0x80 | ((c >> 6) & 0x3F)), UInt8(0x80 | (c & 0x3F))]
        default:
            return [UInt8(0xF0 | (c >> 18)), UInt8(0x80 | ((c >> 12) & 0x3F)),
                    UInt8(0x80 | ((c >> 6) & 0x3F)), UInt8(0x80 | (c & 0x3F))]
        }
    }

    /// A byte regex matching the UTF-8 encodings of scalars in any of `ranges`.
    static func regex(_ ranges: [ClosedRange<UInt32>]) -> ByteRegex {
        var alts: [ByteRegex] = []
        var single = ByteSet()
        for r in ranges {
            for s in sequences(r.lowerBound, r.upperBound) {
                if s.count == 1 { single = single.union(ByteSet(s[0])) } else {
                    alts.append(.seq(s.map { .bytes(ByteSet($0)) }))
                }
            }
        }
        if !single.isEmpty { alts.insert(.bytes(single), at: 0) }
        return alts.isEmpty ? .nothing : (alts.count == 1 ? alts[0] : .alt(alts))
    }
}
