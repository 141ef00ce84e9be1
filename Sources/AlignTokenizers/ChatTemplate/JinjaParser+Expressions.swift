// Expression parsing for JinjaParser, with jinja2's precedence (parser.py): conditional `x if c else y` <
// `or` < `and` < `not` < comparisons and `in`/`not in` < `+ -` < `~` < `* / // %` < `**` < unary `- +` <
// filters `|`, tests `is`, calls, attributes and subscripts.

extension JinjaParser {
    private static let comparisons: Set<String> = ["==", "!=", "<", ">", "<=", ">="]

    /// `a, b` as a tuple (used by `{% set %}`), else one expression.
    mutating func parseTupleOrExpression() throws -> JinjaExpr {
        let first = try parseExpression()
        guard current.kind == .op(",") else { return first }
        var items = [first]
        while current.kind == .op(",") {
            _ = advance()
            items.append(try parseExpression())
        }
        return JinjaExpr(.tuple(items), first.pos)
    }

    mutating func parseExpression(allowConditional: Bool = true) throws -> JinjaExpr {
        depth += 1
        defer { depth -= 1 }
        guard depth <= JinjaParser.maxDepth else {
            throw syntax("expression nested deeper than \(JinjaParser.maxDepth)", at: current.pos)
        }
        let body = try parseOr()
        guard allowConditional, current.kind == .name("if") else { return body }
        _ = advance()
        let condition = try parseOr()
        var otherwise: JinjaExpr?
        if current.kind == .name("else") {
            _ = advance()
            otherwise = try parseExpression()
        }
        return JinjaExpr(.conditional(body, condition: condition, otherwise: otherwise), body.pos)
    }

    private mutating func parseOr() throws -> JinjaExpr {
        var left = try parseAnd()
        while current.kind == .name("or") {
            _ = advance()
            left = JinjaExpr(.binary("or", left, try parseAnd()), left.pos)
        }
        return left
    }

    private mutating func parseAnd() throws -> JinjaExpr {
        var left = try parseNot()
        while current.kind == .name("and") {
            _ = advance()
            left = JinjaExpr(.binary("and", left, try parseNot()), left.pos)
        }
        return left
    }

    private mutating func parseNot() throws -> JinjaExpr {
        if current.kind == .name("not") {
            let pos = advance().pos
            depth += 1
            defer { depth -= 1 }
            guard depth <= JinjaParser.maxDepth else { throw syntax("'not' nested deeper than \(JinjaParser.maxDepth)", at: pos) }
            return JinjaExpr(.unary("not", try parseNot()), pos)
        }
        return try parseCompare()
    }

    /// Comparisons chain like Python's: `a < b < c` is `a < b and b < c` (jinja2 `nodes.Compare`).
    private mutating func parseCompare() throws -> JinjaExpr {
        let first = try parseMath1()
        var links: [(String, JinjaExpr, JinjaExpr)] = []  // (operator, left operand, right operand)
        var left = first
        while true {
            let op: String
            if case .op(let o) = current.kind, Self.comparisons.contains(o) {
                op = o
                _ = advance()
            } else if current.kind == .name("in") {
                op = "in"
                _ = advance()
            } else if current.kind == .name("not"), tokens[p + 1].kind == .name("in") {
                op = "not in"
                _ = advance(); _ = advance()
            } else {
                break
            }
            let right = try parseMath1()
            links.append((op, left, right))
            left = right
        }
        guard var result = links.first.map({ JinjaExpr(.binary($0.0, $0.1, $0.2), first.pos) }) else { return first }
        for (op, l, r) in links.dropFirst() {
            result = JinjaExpr(.binary("and", result, JinjaExpr(.binary(op, l, r), l.pos)), first.pos)
        }
        return result
    }

    private mutating func parseBinaryLevel(_ ops: Set<String>, next: (inout JinjaParser) throws -> JinjaExpr)
        throws -> JinjaExpr
    {
        var left = try next(&self)
        while case .op(let op) = current.kind, ops.contains(op) {
            _ = advance()
            left = JinjaExpr(.binary(op, left, try next(&self)), left.pos)
        }
        return left
    }

    private mutating func parseMath1() throws -> JinjaExpr {
        try parseBinaryLevel(["+", "-"]) { try $0.parseConcat() }
    }

    private mutating func parseConcat() throws -> JinjaExpr {
        try parseBinaryLevel(["~"]) { try $0.parseMath2() }
    }

    private mutating func parseMath2() throws -> JinjaExpr {
        try parseBinaryLevel(["*", "/", "//", "%"]) { try $0.parsePow() }
    }

    private mutating func parsePow() throws -> JinjaExpr {
        try parseBinaryLevel(["**"]) { try $0.parseUnary(withFilter: true) }
    }

    private mutating func parseUnary(withFilter: Bool) throws -> JinjaExpr {
        var node: JinjaExpr
        if current.kind == .op("-") || current.kind == .op("+") {
            let token = advance()
            let op = token.kind == .op("-") ? "-" : "+"
            depth += 1
            defer { depth -= 1 }
            guard depth <= JinjaParser.maxDepth else {
                throw syntax("unary '\(op)' nested deeper than \(JinjaParser.maxDepth)", at: token.pos)
            }
            node = JinjaExpr(.unary(op, try parseUnary(withFilter: false)), token.pos)
        } else {
            node = try parsePrimary()
        }
        node = try parsePostfix(node)
        return withFilter ? try parseFilterChain(node) : node
    }

    mutating func parseCallArguments() throws -> ([JinjaExpr], [(String, JinjaExpr)]) {
        _ = advance()  // (
        var args: [JinjaExpr] = [], kwargs: [(String, JinjaExpr)] = []
        while current.kind != .op(")") {
            if current.kind == .op("*") || current.kind == .op("**") {
                // `f(*list)` / `f(**dict)`: kept as unary splat nodes, expanded when the call is evaluated.
                let splat = advance()
                let value = try parseExpression()
                if splat.kind == .op("*") {
                    args.append(JinjaExpr(.unary("*", value), splat.pos))
                } else {
                    kwargs.append(("**", value))
                }
            } else if case .name(let n) = current.kind, tokens[p + 1].kind == .op("=") {
                _ = advance(); _ = advance()
                kwargs.append((n, try parseExpression()))
            } else {
                guard kwargs.allSatisfy({ $0.0 == "**" }) || kwargs.isEmpty else {
                    throw syntax("positional argument after keyword argument", at: current.pos)
                }
                args.append(try parseExpression())
            }
            if current.kind == .op(",") { _ = advance() } else if current.kind != .op(")") {
                throw syntax("expected ',' or ')' in argument list", at: current.pos)
            }
        }
        _ = advance()
        return (args, kwargs)
    }

    private mutating func parsePostfix(_ start: JinjaExpr) throws -> JinjaExpr {
        var node = start
        while true {
            switch current.kind {
            case .op("."):
                var pos = advance().pos
                switch current.kind {
                case .name(let n):
                    pos = advance().pos  // errors point at the attribute name
                    node = JinjaExpr(.attribute(node, n), pos)
                case .integer(let k):
                    _ = advance()
                    node = JinjaExpr(.item(node, JinjaExpr(.literal(.int(k)), pos)), pos)
                default: throw syntax("expected an attribute name after '.'", at: current.pos)
                }
            case .op("["):
                node = try parseSubscript(node)
            case .op("("):
                let pos = current.pos
                let (args, kwargs) = try parseCallArguments()
                node = JinjaExpr(.call(node, args: args, kwargs: kwargs), pos)
            default:
                return node
            }
        }
    }

    private mutating func parseSubscript(_ base: JinjaExpr) throws -> JinjaExpr {
        let pos = advance().pos  // [
        var parts: [JinjaExpr?] = [nil]
        var isSlice = false
        var tupleItems: [JinjaExpr] = []
        while current.kind != .op("]") {
            if current.kind == .op(":") {
                isSlice = true
                parts.append(nil)
                _ = advance()
            } else if current.kind == .op(","), !isSlice, let item = parts[0] {
                // `x[a, b]` subscripts with a tuple, as in Python.
                tupleItems.append(item)
                parts[0] = nil
                _ = advance()
            } else {
                parts[parts.count - 1] = try parseExpression()
            }
        }
        _ = advance()
        if !tupleItems.isEmpty {
            return JinjaExpr(.item(base, JinjaExpr(.tuple(tupleItems + (parts[0].map { [$0] } ?? [])), pos)), pos)
        }
        guard isSlice else {
            // `x[]` subscripts with an empty tuple in jinja2.
            return JinjaExpr(.item(base, parts[0] ?? JinjaExpr(.tuple([]), pos)), pos)
        }
        guard parts.count <= 3 else { throw syntax("too many ':' in slice", at: pos) }
        return JinjaExpr(.slice(base, start: parts[0], stop: parts[1], step: parts.count > 2 ? parts[2] : nil), pos)
    }

    private mutating func parseFilterChain(_ start: JinjaExpr) throws -> JinjaExpr {
        var node = start
        while true {
            if current.kind == .op("|") {
                let pos = advance().pos
                guard case .name(let name) = current.kind else { throw syntax("expected a filter name", at: current.pos) }
                _ = advance()
                var args: [JinjaExpr] = [], kwargs: [(String, JinjaExpr)] = []
                if current.kind == .op("(") { (args, kwargs) = try parseCallArguments() }
                node = JinjaExpr(.filter(node, name: name, args: args, kwargs: kwargs), pos)
            } else if current.kind == .name("is") {
                node = try parseTest(node)
            } else if current.kind == .op("(") {
                let pos = current.pos
                let (args, kwargs) = try parseCallArguments()
                node = JinjaExpr(.call(node, args: args, kwargs: kwargs), pos)
            } else {
                return node
            }
        }
    }

    private mutating func parseTest(_ subject: JinjaExpr) throws -> JinjaExpr {
        let pos = advance().pos  // is
        var negated = false
        if current.kind == .name("not") { negated = true; _ = advance() }
        guard case .name(let name) = current.kind else { throw syntax("expected a test name after 'is'", at: current.pos) }
        _ = advance()
        var args: [JinjaExpr] = []
        switch current.kind {
        case .op("("):
            (args, _) = try parseCallArguments()
        case .name("is"):
            throw syntax("You cannot chain multiple tests with is", at: current.pos)
        case .name(let n) where !["else", "or", "and"].contains(n):
            // jinja2 takes any other name as the test's single argument — even `if` (so `x is number if c
            // else d` is a syntax error there too).
            args = [try parsePostfix(try parsePrimary())]
        case .string, .integer, .float, .op("["), .op("{"):
            args = [try parsePostfix(try parsePrimary())]
        default:
            break
        }
        return JinjaExpr(.test(subject, name: name, args: args, negated: negated), pos)
    }

    private mutating func parsePrimary() throws -> JinjaExpr {
        let token = advance()
        switch token.kind {
        case .name(let n):
            switch n {
            case "true", "True": return JinjaExpr(.literal(.bool(true)), token.pos)
            case "false", "False": return JinjaExpr(.literal(.bool(false)), token.pos)
            case "none", "None": return JinjaExpr(.literal(.none), token.pos)
            default: return JinjaExpr(.name(n), token.pos)
            }
        case .string(var s):
            while case .string(let more) = current.kind { s += more; _ = advance() }
            return JinjaExpr(.literal(.string(s)), token.pos)
        case .integer(let v): return JinjaExpr(.literal(.int(v)), token.pos)
        case .float(let v): return JinjaExpr(.literal(.double(v)), token.pos)
        case .op("("): return try parseParenthesized(at: token.pos)
        case .op("["):
            var items: [JinjaExpr] = []
            while current.kind != .op("]") {
                items.append(try parseExpression())
                if current.kind == .op(",") { _ = advance() } else if current.kind != .op("]") {
                    throw syntax("expected ',' or ']' in list", at: current.pos)
                }
            }
            _ = advance()
            return JinjaExpr(.list(items), token.pos)
        case .op("{"):
            var pairs: [(JinjaExpr, JinjaExpr)] = []
            while current.kind != .op("}") {
                let key = try parseExpression()
                try expectEnd(.op(":"), "':' in dict literal")
                pairs.append((key, try parseExpression()))
                if current.kind == .op(",") { _ = advance() } else if current.kind != .op("}") {
                    throw syntax("expected ',' or '}' in dict literal", at: current.pos)
                }
            }
            _ = advance()
            return JinjaExpr(.dict(pairs), token.pos)
        case .eof:
            throw syntax("unexpected end of template in an expression", at: token.pos)
        default:
            throw syntax("unexpected token in an expression", at: token.pos)
        }
    }

    private mutating func parseParenthesized(at pos: JinjaSourcePosition) throws -> JinjaExpr {
        if current.kind == .op(")") { _ = advance(); return JinjaExpr(.tuple([]), pos) }
        let first = try parseExpression()
        if current.kind == .op(")") { _ = advance(); return first }
        var items = [first]
        while current.kind == .op(",") {
            _ = advance()
            if current.kind == .op(")") { break }
            items.append(try parseExpression())
        }
        try expectEnd(.op(")"), "')'")
        return JinjaExpr(.tuple(items), pos)
    }
}
