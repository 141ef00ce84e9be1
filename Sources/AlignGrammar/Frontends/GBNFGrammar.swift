// GBNFGrammar: llama.cpp's GBNF (grammars/README.md at ggml-org/llama.cpp 363a490): rules
// `name ::= alternatives`, `root` is the start, literals "…", classes [a-z] / [^…], `.`, groups,
// `*` `+` `?` `{m}` `{m,}` `{m,n}`, `#` comments, escapes \n \r \t \\ \" \[ \] \xHH \uHHHH \UHHHHHHHH.
// Terminals are Unicode code points, matched as UTF-8 bytes. A rule ends where the next `name ::=`
// begins, so rules may span lines freely. Token-level terminals (<[id]>, <name>) are not supported.

/// Compiles GBNF text to a grammar.
public struct GBNFGrammar {
    let src: [Unicode.Scalar]
    var i = 0, line = 1, col = 1
    let b = GrammarBuilder()
    private var ruleIds: [String: Int] = [:]
    private var defined: Set<String> = []

    /// Parses `text`; the start rule is `start` (default `root`).
    public static func compile(_ text: String, start: String = "root") throws -> Grammar {
        var p = GBNFGrammar(src: Array(text.unicodeScalars))
        try p.parseRules()
        guard let s = p.ruleIds[start], p.defined.contains(start) else { throw AlignGrammarError.undefinedRule(name: start) }
        for name in p.ruleIds.keys where !p.defined.contains(name) { throw AlignGrammarError.undefinedRule(name: name) }
        return try p.b.build(start: s)
    }

    private init(src: [Unicode.Scalar]) { self.src = src }

    func err(_ m: String) -> AlignGrammarError { .grammarSyntax(line: line, column: col, message: m) }
    var peek: Unicode.Scalar? { i < src.count ? src[i] : nil }
    mutating func advance() {
        if src[i] == "\n" { line += 1; col = 1 } else { col += 1 }
        i += 1
    }

    mutating func skipSpace() {
        while let c = peek {
            if c == "#" { while let d = peek, d != "\n" { _ = d; advance() } }
            else if c == " " || c == "\t" || c == "\n" || c == "\r" { advance() }
            else { break }
        }
    }

    private static func isNameChar(_ c: Unicode.Scalar) -> Bool {
        (c.value >= 0x30 && c.value <= 0x39) || (c.value >= 0x41 && c.value <= 0x5A) || (c.value >= 0x61 && c.value <= 0x7A) || c == "-" || c == "_"
    }

    mutating func name() -> String? {
        var s = ""
        while let c = peek, GBNFGrammar.isNameChar(c) { s.unicodeScalars.append(c); advance() }
        return s.isEmpty ? nil : s
    }

    /// Whether `name ::=` starts at the current position (without consuming).
    private func atRuleStart() -> Bool {
        var j = i
        while j < src.count, GBNFGrammar.isNameChar(src[j]) { j += 1 }
        if j == i { return false }
        while j < src.count, src[j] == " " || src[j] == "\t" { j += 1 }
        return j + 2 < src.count && src[j] == ":" && src[j + 1] == ":" && src[j + 2] == "="
    }

    mutating func ruleId(_ n: String) -> Int {
        if let id = ruleIds[n] { return id }
        let id = b.newRule(n); ruleIds[n] = id
        return id
    }

    private mutating func parseRules() throws {
        skipSpace()
        while peek != nil {
            guard let n = name() else { throw err("expected a rule name") }
            skipSpace()
            for c in "::=".unicodeScalars { guard peek == c else { throw err("expected '::='") }; advance() }
            if defined.contains(n) { throw err("rule '\(n)' defined twice") }
            let body = try parseAlternatives(nested: false)
            b.define(ruleId(n), body)
            defined.insert(n)
            skipSpace()
        }
    }

    mutating func parseAlternatives(nested: Bool) throws -> GrammarExpr {
        var alts = [try parseSequence(nested: nested)]
        while peek == "|" { advance(); alts.append(try parseSequence(nested: nested)) }
        return alts.count == 1 ? alts[0] : .alt(alts)
    }

    private mutating func parseSequence(nested: Bool) throws -> GrammarExpr {
        var items: [GrammarExpr] = []
        while true {
            skipSpace()
            guard let c = peek, c != "|", c != ")" else { break }
            if !nested && atRuleStart() { break }
            var atom = try parseAtom()
            atom = try parseQuantifier(atom)
            items.append(atom)
        }
        return items.count == 1 ? items[0] : .seq(items)
    }
}
