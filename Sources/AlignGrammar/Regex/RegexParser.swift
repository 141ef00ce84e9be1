// RegexParser: parses the ECMAScript regular-expression subset used by JSON Schema `pattern`
// (ECMA-262 §22.2.1 grammar, with Annex B's literal `{`/`}`/`]`). Supported: literals, escapes
// (\t \n \r \f \v \0 \xHH \uHHHH \u{…} \cX, identity escapes), classes with ranges and negation,
// \d \D \w \W \s \S, `.`, anchors, groups (capturing, (?:…), named), alternation, * + ? {m} {m,} {m,n}
// (lazy forms treated as greedy: the language is the same). Lookaround, backreferences, \b \B and
// \p{…} are rejected with `regexUnsupported`.

/// Parses a regex into a `RegexNode`.
public struct RegexParser {
    let source: String
    let chars: [Unicode.Scalar]
    var i = 0
    /// Repeat counts above this are rejected (they would expand into huge automata).
    public static let maxRepeat = 10_000

    /// Parses `pattern`.
    public static func parse(_ pattern: String) throws -> RegexNode {
        var p = RegexParser(source: pattern)
        let node = try p.parseAlt()
        if p.i < p.chars.count { throw p.syntax("unmatched ')'") }
        return node
    }

    private init(source: String) {
        self.source = source
        chars = Array(source.unicodeScalars)
    }

    func syntax(_ m: String) -> AlignGrammarError {
        .regexSyntax(pattern: source, offset: i, message: m)
    }
    func unsupported(_ f: String) -> AlignGrammarError {
        .regexUnsupported(pattern: source, feature: f)
    }
    var peek: Unicode.Scalar? { i < chars.count ? chars[i] : nil }

    private mutating func parseAlt() throws -> RegexNode {
        var branches = [try parseSeq()]
        while peek == "|" { i += 1; branches.append(try parseSeq()) }
        return branches.count == 1 ? branches[0] : .alt(branches)
    }

    private mutating func parseSeq() throws -> RegexNode {
        var items: [RegexNode] = []
        while let c = peek, c != "|", c != ")" {
            var atom = try parseAtom()
            atom = try parseQuantifiers(atom)
            items.append(atom)
        }
        return items.count == 1 ? items[0] : .seq(items)
    }

    private mutating func parseQuantifiers(_ atom: RegexNode) throws -> RegexNode {
        var node = atom
        while let c = peek {
            var lo = 0, hi: Int? = nil
            if c == "*" { i += 1 } else if c == "+" { i += 1; lo = 1 } else if c == "?" { i += 1; hi = 1 }
            else if c == "{", let (a, b, len) = braceQuantifier() { i += len; lo = a; hi = b }
            else { break }
            if case .startAnchor = node { throw unsupported("quantified anchor") }
            if case .endAnchor = node { throw unsupported("quantified anchor") }
            if lo > RegexParser.maxRepeat || (hi ?? 0) > RegexParser.maxRepeat {
                throw AlignGrammarError.tooLarge(what: "regex repeat count", limit: RegexParser.maxRepeat)
            }
            if let h = hi, h < lo { throw syntax("numbers out of order in {} quantifier") }
            if peek == "?" { i += 1 }   // lazy: same language
            node = .repeat(node, min: lo, max: hi)
        }
        return node
    }

    /// Parses `{m}`, `{m,}`, `{m,n}` at `i` without consuming; nil if not a quantifier (Annex B literal).
    func braceQuantifier() -> (Int, Int?, Int)? {
        var j = i + 1
        func number() -> Int? {
            var v = 0, any = false
            while j < chars.count, chars[j].value >= 0x30, chars[j].value <= 0x39 {
                v = min(v * 10 + Int(chars[j].value - 0x30), 1_000_000_000); j += 1; any = true
            }
            return any ? v : nil
        }
        guard let lo = number() else { return nil }
        var hi: Int? = lo
        if j < chars.count, chars[j] == "," { j += 1; hi = number() }
        guard j < chars.count, chars[j] == "}" else { return nil }
        return (lo, hi, j + 1 - i)
    }

    private mutating func parseAtom() throws -> RegexNode {
        guard let c = peek else { throw syntax("unexpected end") }
        i += 1
        switch c {
        case "^": return .startAnchor
        case "$": return .endAnchor
        case ".": return .chars(ScalarSet.dot)
        case "(": return try parseGroup()
        case "[": return .chars(try parseClass())
        case "\\": return try parseEscape(inClass: false).node
        case "*", "+", "?": throw syntax("nothing to repeat")
        case "{":
            i -= 1
            let q = braceQuantifier()
            i += 1
            if q != nil { throw syntax("nothing to repeat") }
            return .chars([c.value...c.value])
        default: return .chars([c.value...c.value])
        }
    }

    private mutating func parseGroup() throws -> RegexNode {
        if peek == "?" {
            i += 1
            switch peek {
            case ":": i += 1
            case "=", "!": throw unsupported("lookahead")
            case "<":
                i += 1
                if peek == "=" || peek == "!" { throw unsupported("lookbehind") }
                while let c = peek, c != ">" { i += 1 }
                if peek != ">" { throw syntax("unterminated group name") }
                i += 1
            default: throw unsupported("group modifier (?\(peek.map { String($0) } ?? ""))")
            }
        }
        let inner = try parseAlt()
        if peek != ")" { throw syntax("missing ')'") }
        i += 1
        return inner
    }
}
