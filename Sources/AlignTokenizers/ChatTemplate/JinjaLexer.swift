// JinjaLexer: template source → tokens (text, tag delimiters, expression tokens), applying Jinja's
// whitespace control as transformers configures it: `{%-`/`-%}` strip, `+` keeps, trim_blocks=True (drop
// the first newline after a block or comment tag) and lstrip_blocks=True (drop spaces/tabs before a block or
// comment tag at the start of a line), and keep_trailing_newline=False (one final newline is dropped).
// Mirrors jinja2 3.1.6 `lexer.py` (`tokeniter`, the `line_starting` rule, `unicode-escape` string literals).
// Left out: line statements, custom delimiters, `{% raw %}` (reported as unsupported by the parser).

/// One lexical token with its 1-based source position.
struct JinjaToken {
    enum Kind: Equatable {
        case text(String)
        case variableBegin, variableEnd, blockBegin, blockEnd
        case name(String)
        case string(String)
        case integer(Int)
        case float(Double)
        case op(String)
        case eof
    }
    let kind: Kind
    let pos: JinjaSourcePosition
}

/// Splits a template into tokens.
struct JinjaLexer {
    let src: [Unicode.Scalar]
    var i = 0
    var tokens: [JinjaToken] = []
    private var lineStarts: [Int] = [0]

    init(_ source: String) {
        var text = source.replacingCRLF()
        if text.hasSuffix("\n") { text.removeLast() }  // keep_trailing_newline=False
        src = Array(text.unicodeScalars)
        for (k, c) in src.enumerated() where c == "\n" { lineStarts.append(k + 1) }
    }

    func position(_ offset: Int) -> JinjaSourcePosition {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return JinjaSourcePosition(line: lo + 1, column: offset - lineStarts[lo] + 1)
    }

    private func at(_ k: Int, _ s: String) -> Bool {
        var j = k
        for c in s.unicodeScalars {
            guard j < src.count, src[j] == c else { return false }
            j += 1
        }
        return true
    }

    func isSpace(_ c: Unicode.Scalar) -> Bool {
        c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0B}" || c == "\u{0C}"
    }

    /// Tokenizes the whole template.
    mutating func tokenize() throws -> [JinjaToken] {
        var lineStarting = true
        while i < src.count {
            let textStart = i
            var open = i
            while open < src.count {
                if src[open] == "{", open + 1 < src.count, "{%#".unicodeScalars.contains(src[open + 1]) { break }
                open += 1
            }
            var text = Array(src[textStart..<open])
            guard open < src.count else {
                emitText(text, at: textStart)
                break
            }
            let kind = src[open + 1]
            let sign: Unicode.Scalar? = open + 2 < src.count && (src[open + 2] == "-" || src[open + 2] == "+")
                ? src[open + 2] : nil
            if sign == "-" {
                while let last = text.last, isSpace(last) { text.removeLast() }
            } else if sign != "+" && kind != "{" {
                text = lstripBlock(text, lineStarting: lineStarting)
            }
            emitText(text, at: textStart)
            i = open + 2 + (sign == nil ? 0 : 1)
            switch kind {
            case "#": try skipComment(openedAt: open)
            case "{":
                tokens.append(JinjaToken(kind: .variableBegin, pos: position(open)))
                try lexExpression(closer: "}}", openedAt: open)
            default:
                tokens.append(JinjaToken(kind: .blockBegin, pos: position(open)))
                try lexExpression(closer: "%}", openedAt: open)
            }
            lineStarting = i > 0 && src[i - 1] == "\n"
        }
        tokens.append(JinjaToken(kind: .eof, pos: position(src.count)))
        return tokens
    }

    private mutating func emitText(_ text: [Unicode.Scalar], at offset: Int) {
        guard !text.isEmpty else { return }
        tokens.append(JinjaToken(kind: .text(String(String.UnicodeScalarView(text))), pos: position(offset)))
    }

    /// lstrip_blocks: spaces/tabs between the last newline (or a line start) and the tag go away.
    private func lstripBlock(_ text: [Unicode.Scalar], lineStarting: Bool) -> [Unicode.Scalar] {
        let lineStart = (text.lastIndex(of: "\n").map { $0 + 1 }) ?? 0
        guard lineStart > 0 || lineStarting else { return text }
        let tail = text[lineStart...]
        guard !tail.isEmpty, tail.allSatisfy({ isSpace($0) }) else { return text }
        return Array(text[..<lineStart])
    }

    /// After a closing delimiter: `-` strips all whitespace, otherwise trim_blocks drops one newline.
    private mutating func afterClose(stripSign: Bool, trimBlock: Bool) {
        if stripSign {
            while i < src.count, isSpace(src[i]) { i += 1 }
        } else if trimBlock, i < src.count, src[i] == "\n" {
            i += 1
        }
    }

    private mutating func skipComment(openedAt open: Int) throws {
        while i < src.count {
            if at(i, "-#}") { i += 3; afterClose(stripSign: true, trimBlock: true); return }
            if at(i, "+#}") { i += 3; return }
            if at(i, "#}") { i += 2; afterClose(stripSign: false, trimBlock: true); return }
            i += 1
        }
        let p = position(open)
        throw ChatTemplateError.syntax(message: "unclosed comment, missing '#}'", line: p.line, column: p.column)
    }
}

extension String {
    fileprivate func replacingCRLF() -> String {
        guard contains("\r") else { return self }
        var out = String.UnicodeScalarView()
        var previousCR = false
        for c in unicodeScalars {
            if c == "\r" { out.append("\n"); previousCR = true; continue }
            if c == "\n" && previousCR { previousCR = false; continue }
            previousCR = false
            out.append(c)
        }
        return String(out)
    }
}
