// RegexParser+Escapes: character classes `[...]` and backslash escapes (ECMA-262 §22.2.1,
// CharacterClassEscape, CharacterEscape, ClassAtom). Inside a class `\b` is backspace (U+0008).

extension RegexParser {
    /// A parsed escape: either a set of scalars or, for class ranges, a single scalar.
    struct Escape {
        var node: RegexNode
        var single: UInt32?
    }

    private static func hexValue(_ c: Unicode.Scalar) -> UInt32? {
        switch c.value {
        case 0x30...0x39: return c.value - 0x30
        case 0x41...0x46: return c.value - 0x41 + 10
        case 0x61...0x66: return c.value - 0x61 + 10
        default: return nil
        }
    }

    private mutating func hexDigits(_ n: Int) throws -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<n {
            guard let c = peek, let h = RegexParser.hexValue(c) else { throw syntax("expected \(n) hex digits") }
            v = v * 16 + h; i += 1
        }
        return v
    }

    private static func set(_ c: UInt32) -> Escape { Escape(node: .chars([c...c]), single: c) }

    /// Parses the escape after a backslash.
    mutating func parseEscape(inClass: Bool) throws -> Escape {
        guard let c = peek else { throw syntax("trailing backslash") }
        i += 1
        switch c {
        case "d": return Escape(node: .chars(ScalarSet.digit), single: nil)
        case "D": return Escape(node: .chars(ScalarSet.complement(ScalarSet.digit)), single: nil)
        case "w": return Escape(node: .chars(ScalarSet.word), single: nil)
        case "W": return Escape(node: .chars(ScalarSet.complement(ScalarSet.word)), single: nil)
        case "s": return Escape(node: .chars(ScalarSet.space), single: nil)
        case "S": return Escape(node: .chars(ScalarSet.complement(ScalarSet.space)), single: nil)
        case "t": return Self.set(0x09)
        case "n": return Self.set(0x0A)
        case "v": return Self.set(0x0B)
        case "f": return Self.set(0x0C)
        case "r": return Self.set(0x0D)
        case "0": return Self.set(0x00)
        case "b": if inClass { return Self.set(0x08) }; throw unsupported("word boundary \\b")
        case "B": throw unsupported("non-word boundary \\B")
        case "x": return Self.set(try hexDigits(2))
        case "u": return Self.set(try unicodeEscape())
        case "c":
            guard let l = peek, (0x41...0x5A).contains(l.value) || (0x61...0x7A).contains(l.value) else {
                throw syntax("\\c must be followed by a letter")
            }
            i += 1
            return Self.set(l.value % 32)
        case "p", "P": throw unsupported("Unicode property escape \\\(c)")
        case "k": throw unsupported("named backreference")
        default:
            if (0x31...0x39).contains(c.value) { throw unsupported("backreference") }
            if c.properties.isAlphabetic || (0x30...0x39).contains(c.value) {
                throw syntax("unknown escape \\\(c)")
            }
            return Self.set(c.value)   // identity escape of a syntax character
        }
    }

    private mutating func unicodeEscape() throws -> UInt32 {
        if peek == "{" {
            i += 1
            var v: UInt32 = 0, n = 0
            while let c = peek, let h = RegexParser.hexValue(c) { v = v &* 16 &+ h; n += 1; i += 1 }
            guard peek == "}", n > 0, n <= 6, v <= 0x10FFFF else { throw syntax("bad \\u{…} escape") }
            i += 1
            return v
        }
        let v = try hexDigits(4)
        // A surrogate pair written as two escapes denotes one astral scalar.
        if (0xD800...0xDBFF).contains(v), i + 1 < chars.count, chars[i] == "\\", chars[i + 1] == "u" {
            let save = i
            i += 2
            if let lo = try? hexDigits(4), (0xDC00...0xDFFF).contains(lo) {
                return 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00)
            }
            i = save
        }
        return v
    }

    /// Parses a class body after `[`, through the closing `]`.
    mutating func parseClass() throws -> [ClosedRange<UInt32>] {
        var negate = false
        if peek == "^" { negate = true; i += 1 }
        var ranges: [ClosedRange<UInt32>] = []
        while true {
            guard let c = peek else { throw syntax("unterminated character class") }
            if c == "]" { i += 1; break }
            let (lo, loSet) = try classAtom()
            if peek == "-", i + 1 < chars.count, chars[i + 1] != "]" {
                i += 1
                let (hi, hiSet) = try classAtom()
                guard let a = lo, let b = hi else {
                    // ECMA Annex B: a class escape next to '-' makes '-' literal.
                    ranges += loSet + hiSet + [0x2D...0x2D]
                    continue
                }
                if a > b { throw syntax("range out of order in character class") }
                ranges.append(a...b)
            } else {
                ranges += loSet
            }
        }
        let n = ScalarSet.normalize(ranges)
        return negate ? ScalarSet.complement(n) : n
    }

    /// One class atom: a single scalar (for ranges) and its set.
    private mutating func classAtom() throws -> (UInt32?, [ClosedRange<UInt32>]) {
        guard let c = peek else { throw syntax("unterminated character class") }
        i += 1
        if c == "\\" {
            let e = try parseEscape(inClass: true)
            if case .chars(let rs) = e.node { return (e.single, rs) }
            return (nil, [])
        }
        return (c.value, [c.value...c.value])
    }
}
