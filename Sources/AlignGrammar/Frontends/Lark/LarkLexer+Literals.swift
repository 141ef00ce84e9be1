// LarkLexer+Literals: string literals (JSON string syntax, as llguidance's Lark reader uses, plus the
// `i` flag), /regex/flags literals (body kept verbatim for RegexParser), and the raw text of a JSON
// value after `%json` (balanced braces, strings respected; parsed later by JSONParser).

extension LarkLexer {
    mutating func string(_ tok: (LarkToken.Kind) -> LarkToken) throws -> LarkToken {
        advance()   // opening quote
        var s = ""
        while true {
            guard let c = peekScalar else { throw err("unterminated string literal") }
            if c == "\n" { throw err("newline inside a string literal") }
            advance()
            if c == "\"" { break }
            if c != "\\" { s.unicodeScalars.append(c); continue }
            guard let e = peekScalar else { throw err("unterminated string literal") }
            advance()
            switch e {
            case "\"", "\\", "/": s.unicodeScalars.append(e)
            case "b": s.unicodeScalars.append("\u{08}")
            case "f": s.unicodeScalars.append("\u{0C}")
            case "n": s.unicodeScalars.append("\n")
            case "r": s.unicodeScalars.append("\r")
            case "t": s.unicodeScalars.append("\t")
            case "u": s.unicodeScalars.append(try unicodeEscape())
            default: throw err("unknown escape '\\\(e)' in a string literal (JSON string syntax)")
            }
        }
        var ci = false
        if peekScalar == "i" { advance(); ci = true }
        return tok(.string(s, caseInsensitive: ci))
    }

    /// `\uXXXX`, with a following `\uXXXX` low surrogate when the first is a high surrogate.
    private mutating func unicodeEscape() throws -> Unicode.Scalar {
        let hi = try hex4()
        if (0xD800...0xDBFF).contains(hi) {
            guard peekScalar == "\\" else { throw err("lone surrogate in \\u escape") }
            advance()
            guard peekScalar == "u" else { throw err("lone surrogate in \\u escape") }
            advance()
            let lo = try hex4()
            guard (0xDC00...0xDFFF).contains(lo), let s = Unicode.Scalar(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)) else {
                throw err("invalid surrogate pair in \\u escape")
            }
            return s
        }
        guard let s = Unicode.Scalar(hi) else { throw err("lone surrogate in \\u escape") }
        return s
    }

    private mutating func hex4() throws -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let c = peekScalar, let d = UInt32(String(c), radix: 16) else { throw err("expected 4 hex digits after \\u") }
            v = v * 16 + d; advance()
        }
        return v
    }

    mutating func regex() throws -> LarkToken.Kind {
        advance()   // opening slash
        var body = ""
        while true {
            guard let c = peekScalar, c != "\n" else { throw err("unterminated regex literal") }
            advance()
            if c == "/" { break }
            body.unicodeScalars.append(c)
            if c == "\\" {
                guard let e = peekScalar, e != "\n" else { throw err("unterminated regex literal") }
                body.unicodeScalars.append(e); advance()
            }
        }
        if body.isEmpty { throw err("empty regex literal") }
        var flags = ""
        while let c = peekScalar, "imslux".unicodeScalars.contains(c) { flags.unicodeScalars.append(c); advance() }
        return .regex(body, flags: flags)
    }

    /// The raw text of one JSON value starting at `{`.
    mutating func jsonText() throws -> String {
        var depth = 0, inString = false, escaped = false
        var s = ""
        while let c = peekScalar {
            advance()
            s.unicodeScalars.append(c)
            if inString {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
                continue
            }
            if c == "\"" { inString = true } else if c == "{" || c == "[" { depth += 1 } else if c == "}" || c == "]" {
                depth -= 1
                if depth == 0 { return s }
            }
        }
        throw err("unterminated JSON value")
    }
}
