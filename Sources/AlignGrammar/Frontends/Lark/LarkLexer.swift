// LarkLexer: splits a Lark grammar file into tokens with their line and column, following the token
// classes of llguidance's Lark reader (parser/src/lark/lexer.rs at guidance-ai/llguidance 1.9.1):
// lowercase rule names, UPPERCASE terminal names, "strings" (JSON string syntax, optional `i` flag),
// /regexes/ with flags, numbers, `%` directives, punctuation, `<special>` and `@ref` (recognised so they
// can be rejected by name), and newlines (which end a definition). `//` and `#` start comments.
// A `{` right after `%json` / `%llguidance` / `%regex` starts a JSON value kept as raw text.

/// One token of Lark grammar text.
struct LarkToken {
    enum Kind: Equatable {
        case rule(String), terminal(String), string(String, caseInsensitive: Bool)
        case regex(String, flags: String), number(Int), directive(String), json(String)
        case punct(String), op(Character), special(String), newline, end
    }
    let kind: Kind
    let line: Int
    let column: Int
}

/// The tokenizer of Lark grammar text.
struct LarkLexer {
    private let src: [Unicode.Scalar]
    private var i = 0, line = 1, col = 1

    /// All tokens of `text`, ending with `.end`.
    static func tokens(_ text: String) throws -> [LarkToken] {
        var lx = LarkLexer(src: Array(text.unicodeScalars))
        var out: [LarkToken] = []
        while true {
            let t = try lx.next(afterJSONDirective: out.last.map { lx.takesJSON($0) } ?? false)
            if t.kind == .newline, out.last?.kind == .newline || out.isEmpty { continue }
            out.append(t)
            if t.kind == .end { return out }
        }
    }

    private init(src: [Unicode.Scalar]) { self.src = src }

    private func takesJSON(_ t: LarkToken) -> Bool {
        if case .directive(let d) = t.kind { return d == "json" || d == "llguidance" || d == "regex" }
        return false
    }

    func err(_ m: String) -> AlignGrammarError { .grammarSyntax(line: line, column: col, message: m) }
    private var peek: Unicode.Scalar? { i < src.count ? src[i] : nil }
    var peekScalar: Unicode.Scalar? { peek }
    private func peek(_ k: Int) -> Unicode.Scalar? { i + k < src.count ? src[i + k] : nil }
    mutating func advance() {
        if src[i] == "\n" { line += 1; col = 1 } else { col += 1 }
        i += 1
    }

    private mutating func skipBlanks() {
        while let c = peek {
            if c == " " || c == "\t" || c == "\r" { advance() }
            else if c == "#" || (c == "/" && peek(1) == "/") { while let d = peek, d != "\n" { _ = d; advance() } }
            else if c == "\\", peek(1) == "\n" { advance(); advance() }   // line continuation
            else { break }
        }
    }

    private static func isLower(_ c: Unicode.Scalar) -> Bool { c.value >= 0x61 && c.value <= 0x7A }
    private static func isUpper(_ c: Unicode.Scalar) -> Bool { c.value >= 0x41 && c.value <= 0x5A }
    private static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 0x30 && c.value <= 0x39 }
    private static func isNameChar(_ c: Unicode.Scalar) -> Bool {
        isLower(c) || isUpper(c) || isDigit(c) || c == "_" || c == "-"
    }

    private mutating func next(afterJSONDirective: Bool) throws -> LarkToken {
        skipBlanks()
        let l = line, c0 = col
        func tok(_ k: LarkToken.Kind) -> LarkToken { LarkToken(kind: k, line: l, column: c0) }
        guard let c = peek else { return tok(.end) }
        if c == "\n" { advance(); return tok(.newline) }
        if afterJSONDirective && c == "{" { return tok(.json(try jsonText())) }
        if c == "\"" { return try string(tok) }
        if c == "/" { return tok(try regex()) }
        if c == "%" {
            advance()
            let name = word()
            if name.isEmpty { throw err("expected a directive name after '%'") }
            return tok(.directive(name))
        }
        if LarkLexer.isDigit(c) { return tok(.number(try number())) }
        if LarkLexer.isLower(c) || LarkLexer.isUpper(c) || c == "_" || ((c == "?" || c == "!") && peek(1).map(LarkLexer.isLower) == true) {
            if c == "?" || c == "!" { advance() }   // tree-shaping prefixes: no effect on the language
            let w = word()
            let firstLetter = w.unicodeScalars.first { $0 != "_" }
            if let f = firstLetter, LarkLexer.isUpper(f) { return tok(.terminal(w)) }
            return tok(.rule(w))
        }
        if c == "<" {
            var s = ""
            while let d = peek, d != ">", d != "\n" { s.unicodeScalars.append(d); advance() }
            if peek == ">" { advance() }
            return tok(.special(s + ">"))
        }
        if c == "@" { advance(); return tok(.special("@" + word())) }
        if c == "*" || c == "+" || c == "?" { advance(); return tok(.op(Character(c))) }
        for p in ["->", "..", ":", ",", ".", "(", ")", "[", "]", "{", "}", "|", "~", "=", "&"] where matches(p) {
            for _ in p.unicodeScalars { advance() }
            return tok(.punct(p))
        }
        throw err("unexpected character '\(c)'")
    }

    private func matches(_ p: String) -> Bool {
        for (k, s) in p.unicodeScalars.enumerated() where peek(k) != s { return false }
        return true
    }

    private mutating func word() -> String {
        var s = ""
        while let c = peek, LarkLexer.isNameChar(c) { s.unicodeScalars.append(c); advance() }
        return s
    }

    private mutating func number() throws -> Int {
        var v = 0
        while let c = peek, LarkLexer.isDigit(c) {
            v = min(v * 10 + Int(c.value - 0x30), 1_000_000_000); advance()
        }
        return v
    }
}
