// GBNFGrammar+Atoms: literals, character classes, `.`, groups, rule references and quantifiers.

extension GBNFGrammar {
    mutating func parseAtom() throws -> GrammarExpr {
        guard let c = peek else { throw err("unexpected end") }
        switch c {
        case "\"":
            advance()
            var bytes: [UInt8] = []
            while let d = peek, d != "\"" {
                let v = try scalar()
                bytes += UTF8Ranges.encode(v)
            }
            guard peek == "\"" else { throw err("unterminated string") }
            advance()
            return b.literal(bytes)
        case "[":
            advance()
            var negate = false
            if peek == "^" { negate = true; advance() }
            var ranges: [ClosedRange<UInt32>] = []
            while let d = peek, d != "]" {
                let lo = try scalar()
                if peek == "-", i + 1 < src.count, src[i + 1] != "]" {
                    advance()
                    let hi = try scalar()
                    if hi < lo { throw err("character range out of order") }
                    ranges.append(lo...hi)
                } else { ranges.append(lo...lo) }
            }
            guard peek == "]" else { throw err("unterminated character class") }
            advance()
            let n = ScalarSet.normalize(ranges)
            return try b.terminal(UTF8Ranges.regex(negate ? ScalarSet.complement(n) : n))
        case ".":
            advance()
            return try b.terminal(UTF8Ranges.regex(ScalarSet.any))
        case "(":
            advance()
            let inner = try parseAlternatives(nested: true)
            skipSpace()
            guard peek == ")" else { throw err("expected ')'") }
            advance()
            return inner
        case "<": throw err("token-level terminals (<…>) are not supported")
        default:
            guard let n = name() else { throw err("unexpected character '\(c)'") }
            return .rule(ruleId(n))
        }
    }

    /// One (possibly escaped) code point inside a literal or class.
    private mutating func scalar() throws -> UInt32 {
        guard let c = peek else { throw err("unexpected end") }
        advance()
        if c != "\\" { return c.value }
        guard let e = peek else { throw err("trailing backslash") }
        advance()
        switch e {
        case "n": return 0x0A
        case "r": return 0x0D
        case "t": return 0x09
        case "x": return try hex(2)
        case "u": return try hex(4)
        case "U": return try hex(8)
        case "\\", "\"", "[", "]", "-", "^": return e.value
        default: throw err("unknown escape '\\\(e)'")
        }
    }

    private mutating func hex(_ n: Int) throws -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<n {
            guard let c = peek, let d = UInt32(String(c), radix: 16) else { throw err("expected \(n) hex digits") }
            v = v &* 16 &+ d; advance()
        }
        guard v <= 0x10FFFF else { throw err("code point out of range") }
        return v
    }

    mutating func parseQuantifier(_ atom: GrammarExpr) throws -> GrammarExpr {
        switch peek {
        case "*": advance(); return .repeat(atom, min: 0, max: nil)
        case "+": advance(); return .repeat(atom, min: 1, max: nil)
        case "?": advance(); return .repeat(atom, min: 0, max: 1)
        case "{":
            advance(); skipSpace()
            let lo = try number() ?? 0
            skipSpace()
            var hi: Int? = lo
            if peek == "," { advance(); skipSpace(); hi = try number() }
            skipSpace()
            guard peek == "}" else { throw err("expected '}'") }
            advance()
            if let h = hi, h < lo { throw err("repeat bounds out of order") }
            if max(lo, hi ?? 0) > RegexParser.maxRepeat { throw AlignGrammarError.tooLarge(what: "GBNF repeat count", limit: RegexParser.maxRepeat) }
            return .repeat(atom, min: lo, max: hi)
        default: return atom
        }
    }

    private mutating func number() throws -> Int? {
        var v = 0, any = false
        while let c = peek, c.value >= 0x30, c.value <= 0x39 {
            v = min(v * 10 + Int(c.value - 0x30), 1_000_000_000); any = true; advance()
        }
        return any ? v : nil
    }
}
