// The inside of `{{ … }}` and `{% … %}`: names, numbers, string literals (decoded like Python's
// `unicode-escape`, as jinja2's lexer does) and operators, up to the closing delimiter. A `}}` only closes
// the tag when no bracket is open, so dict literals inside `{{ }}` work (jinja2's balancing stack).

extension JinjaLexer {
    private static let operators = ["//", "**", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~", "<", ">",
                                    "=", ".", ",", ":", "|", "(", ")", "[", "]", "{", "}"]

    mutating func lexExpression(closer: String, openedAt open: Int) throws {
        var depth = 0
        while true {
            while i < src.count, isSpaceScalar(src[i]) { i += 1 }
            guard i < src.count else {
                let p = position(open)
                let what = closer == "}}" ? "variable tag, missing '}}'" : "block tag, missing '%}'"
                throw ChatTemplateError.syntax(message: "unclosed \(what)", line: p.line, column: p.column)
            }
            if depth == 0, let closed = closeTag(closer) {
                tokens.append(JinjaToken(kind: closer == "}}" ? .variableEnd : .blockEnd, pos: position(closed)))
                return
            }
            let start = i
            let c = src[i]
            if c == "_" || c.properties.isAlphabetic {
                while i < src.count, src[i] == "_" || src[i].properties.isAlphabetic || isDigit(src[i]) { i += 1 }
                tokens.append(JinjaToken(kind: .name(slice(start, i)), pos: position(start)))
            } else if isDigit(c) {
                tokens.append(JinjaToken(kind: try lexNumber(), pos: position(start)))
            } else if c == "'" || c == "\"" {
                tokens.append(JinjaToken(kind: .string(try lexString(quote: c)), pos: position(start)))
            } else if let op = Self.operators.first(where: { atScalars(i, $0) }) {
                if op == "(" || op == "[" || op == "{" { depth += 1 }
                if op == ")" || op == "]" || op == "}" { depth -= 1 }
                i += op.unicodeScalars.count
                tokens.append(JinjaToken(kind: .op(op), pos: position(start)))
            } else {
                let p = position(start)
                throw ChatTemplateError.syntax(message: "unexpected character '\(c)'", line: p.line, column: p.column)
            }
        }
    }

    /// Recognizes `-%}`, `+%}`, `%}` (or the `}}` forms) at the cursor and consumes them.
    private mutating func closeTag(_ closer: String) -> Int? {
        let start = i
        let isBlock = closer == "%}"
        if atScalars(i, "-" + closer) {
            i += 3
            afterCloseTag(strip: true, trim: isBlock)
        } else if isBlock && atScalars(i, "+" + closer) {
            i += 3
        } else if atScalars(i, closer) {
            i += 2
            afterCloseTag(strip: false, trim: isBlock)
        } else {
            return nil
        }
        return start
    }

    private mutating func afterCloseTag(strip: Bool, trim: Bool) {
        if strip {
            while i < src.count, isSpaceScalar(src[i]) { i += 1 }
        } else if trim, i < src.count, src[i] == "\n" {
            i += 1
        }
    }

    private mutating func lexNumber() throws -> JinjaToken.Kind {
        let start = i
        while i < src.count, isDigit(src[i]) || src[i] == "_" { i += 1 }
        var isFloat = false
        if i + 1 < src.count, src[i] == ".", isDigit(src[i + 1]) {
            isFloat = true
            i += 1
            while i < src.count, isDigit(src[i]) || src[i] == "_" { i += 1 }
        }
        if i < src.count, src[i] == "e" || src[i] == "E" {
            var j = i + 1
            if j < src.count, src[j] == "+" || src[j] == "-" { j += 1 }
            if j < src.count, isDigit(src[j]) {
                isFloat = true
                i = j
                while i < src.count, isDigit(src[i]) { i += 1 }
            }
        }
        let text = String(slice(start, i).filter { $0 != "_" })
        if !isFloat, let v = Int(text) { return .integer(v) }
        guard let d = Double(text) else {
            let p = position(start)
            throw ChatTemplateError.syntax(message: "bad number '\(text)'", line: p.line, column: p.column)
        }
        return .float(d)
    }

    /// A quoted literal, decoded with Python `unicode-escape` rules (unknown escapes keep their backslash).
    private mutating func lexString(quote: Unicode.Scalar) throws -> String {
        let start = i
        i += 1
        var out = String.UnicodeScalarView()
        while i < src.count, src[i] != quote {
            if src[i] == "\\", i + 1 < src.count {
                i += 1
                decodeEscape(into: &out)
            } else {
                out.append(src[i])
                i += 1
            }
        }
        guard i < src.count else {
            let p = position(start)
            throw ChatTemplateError.syntax(message: "unterminated string literal", line: p.line, column: p.column)
        }
        i += 1
        return String(out)
    }

    private mutating func decodeEscape(into out: inout String.UnicodeScalarView) {
        let e = src[i]
        i += 1
        let simple: [Unicode.Scalar: Unicode.Scalar] = [
            "n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", "\"": "\"", "a": "\u{07}", "b": "\u{08}",
            "f": "\u{0C}", "v": "\u{0B}",
        ]
        if e == "\n" { return }  // backslash-newline is a line continuation
        if let mapped = simple[e] { out.append(mapped); return }
        let hexWidth: Int? = e == "x" ? 2 : e == "u" ? 4 : e == "U" ? 8 : nil
        if let width = hexWidth, i + width <= src.count,
           let code = UInt32(slice(i, i + width), radix: 16), let scalar = Unicode.Scalar(code) {
            out.append(scalar)
            i += width
            return
        }
        if ("0"..."7").contains(e) {
            var code = e.value - 48
            var n = 1
            while n < 3, i < src.count, ("0"..."7").contains(src[i]) { code = code * 8 + src[i].value - 48; i += 1; n += 1 }
            if let scalar = Unicode.Scalar(code) { out.append(scalar) }
            return
        }
        out.append("\\")
        out.append(e)
    }

    private func atScalars(_ k: Int, _ s: String) -> Bool {
        var j = k
        for c in s.unicodeScalars {
            guard j < src.count, src[j] == c else { return false }
            j += 1
        }
        return true
    }

    private func slice(_ a: Int, _ b: Int) -> String { String(String.UnicodeScalarView(src[a..<b])) }
    private func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
    private func isSpaceScalar(_ c: Unicode.Scalar) -> Bool {
        c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0B}" || c == "\u{0C}"
    }
}
