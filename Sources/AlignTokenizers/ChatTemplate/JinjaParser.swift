// JinjaParser: tokens → statement tree. Handles `if/elif/else`, `for … in … [if …] / else`, `set` (plain,
// tuple, `ns.attr`, and block form), `macro`, `call`, `filter`, `break`/`continue` (jinja2.ext.loopcontrols,
// which transformers enables) and transformers' `generation` tag. Mirrors jinja2 3.1 `parser.py`.
// Anything else (`include`, `extends`, `block`, `import`, `raw`, …) is `ChatTemplateError.unsupported` with
// its position; a block left open at the end is a syntax error pointing at its opening tag.

/// Parses a token stream into template nodes.
struct JinjaParser {
    var tokens: [JinjaToken]
    var p = 0
    /// Current nesting of blocks and expressions; bounded so a hostile template cannot exhaust the stack.
    var depth = 0
    static let maxDepth = 64

    init(tokens: [JinjaToken]) { self.tokens = tokens }

    /// Parses a whole template.
    mutating func parseTemplate() throws -> [JinjaNode] {
        let (nodes, end) = try parseBody(until: [])
        if let end {
            throw syntax("unexpected '\(end.name)' with no open block", at: end.pos)
        }
        return nodes
    }

    var current: JinjaToken { tokens[p] }

    func syntax(_ message: String, at pos: JinjaSourcePosition) -> ChatTemplateError {
        .syntax(message: message, line: pos.line, column: pos.column)
    }

    mutating func advance() -> JinjaToken {
        let t = tokens[p]
        if p < tokens.count - 1 { p += 1 }
        return t
    }

    /// Parses nodes until a block tag whose name is in `until` (consumed up to the name), or the end.
    /// Returns the closing tag name and position, or nil at end of input.
    mutating func parseBody(until: Set<String>) throws -> ([JinjaNode], (name: String, pos: JinjaSourcePosition)?) {
        var nodes: [JinjaNode] = []
        while true {
            let token = current
            switch token.kind {
            case .eof:
                return (nodes, nil)
            case .text(let s):
                _ = advance()
                nodes.append(.text(s))
            case .variableBegin:
                _ = advance()
                let expr = try parseExpression()
                try expectEnd(.variableEnd, "'}}'")
                nodes.append(.output(expr))
            case .blockBegin:
                _ = advance()
                guard case .name(let keyword) = current.kind else {
                    throw syntax("expected a statement name after '{%'", at: current.pos)
                }
                let keywordPos = token.pos  // errors point at the tag's '{%'
                if until.contains(keyword) {
                    _ = advance()
                    return (nodes, (keyword, keywordPos))
                }
                if let node = try parseStatement(keyword, at: keywordPos) { nodes.append(node) }
            default:
                throw syntax("unexpected token", at: token.pos)
            }
        }
    }

    mutating func expectEnd(_ kind: JinjaToken.Kind, _ what: String) throws {
        guard current.kind == kind else {
            throw syntax("expected \(what)", at: current.pos)
        }
        _ = advance()
    }

    /// Parses the body of a block up to one of `ends`; a missing end is a syntax error at the opener.
    mutating func parseBlockBody(_ opener: String, at pos: JinjaSourcePosition, ends: Set<String>) throws
        -> ([JinjaNode], String)
    {
        let (body, end) = try parseBody(until: ends)
        guard let end else {
            let expected = ends.sorted().map { "'\($0)'" }.joined(separator: " or ")
            throw syntax("unclosed '\(opener)' block: reached the end of the template looking for \(expected)",
                         at: pos)
        }
        return (body, end.name)
    }
}
