// Statement parsing for JinjaParser: one function per `{% keyword %}` form.

extension JinjaParser {
    mutating func parseStatement(_ keyword: String, at pos: JinjaSourcePosition) throws -> JinjaNode? {
        _ = advance()
        depth += 1
        defer { depth -= 1 }
        guard depth <= JinjaParser.maxDepth else { throw syntax("blocks nested deeper than \(JinjaParser.maxDepth)", at: pos) }
        switch keyword {
        case "if": return try parseIf(at: pos)
        case "for": return try parseFor(at: pos)
        case "set": return try parseSet(at: pos)
        case "macro": return try parseMacro(at: pos)
        case "call": return try parseCall(at: pos)
        case "filter": return try parseFilterBlock(at: pos)
        case "generation":
            try expectEnd(.blockEnd, "'%}'")
            let (body, _) = try parseBlockBody("generation", at: pos, ends: ["endgeneration"])
            try expectEnd(.blockEnd, "'%}'")
            return .generation(body)
        case "break", "continue":
            try expectEnd(.blockEnd, "'%}'")
            return keyword == "break" ? .breakLoop : .continueLoop
        case "endif", "endfor", "endset", "endmacro", "endcall", "endfilter", "else", "elif", "endgeneration":
            throw syntax("unexpected '\(keyword)' with no open block", at: pos)
        default:
            throw ChatTemplateError.unsupported(construct: "statement '{% \(keyword) %}'", line: pos.line,
                                                column: pos.column)
        }
    }

    private mutating func parseIf(at pos: JinjaSourcePosition) throws -> JinjaNode {
        var branches: [(JinjaExpr, [JinjaNode])] = []
        // jinja2 parses if/elif conditions without `x if c else y` (parse_tuple(with_condexpr=False)).
        var condition = try parseExpression(allowConditional: false)
        while true {
            try expectEnd(.blockEnd, "'%}'")
            let (body, end) = try parseBlockBody("if", at: pos, ends: ["elif", "else", "endif"])
            branches.append((condition, body))
            switch end {
            case "elif":
                condition = try parseExpression(allowConditional: false)
            case "else":
                try expectEnd(.blockEnd, "'%}'")
                let (otherwise, _) = try parseBlockBody("if", at: pos, ends: ["endif"])
                try expectEnd(.blockEnd, "'%}'")
                return .ifBlock(branches: branches, otherwise: otherwise)
            default:
                try expectEnd(.blockEnd, "'%}'")
                return .ifBlock(branches: branches, otherwise: [])
            }
        }
    }

    private mutating func parseFor(at pos: JinjaSourcePosition) throws -> JinjaNode {
        var targets: [String] = []
        repeat {
            if !targets.isEmpty { _ = advance() }
            if current.kind == .op("(") { _ = advance() }
            guard case .name(let n) = current.kind else { throw syntax("expected a loop variable name", at: current.pos) }
            targets.append(n)
            _ = advance()
            if current.kind == .op(")") { _ = advance() }
        } while current.kind == .op(",")
        guard current.kind == .name("in") else { throw syntax("expected 'in' in for loop", at: current.pos) }
        _ = advance()
        let iterable = try parseExpression(allowConditional: false)
        var filter: JinjaExpr?
        if current.kind == .name("if") {
            _ = advance()
            filter = try parseExpression()
        }
        if current.kind == .name("recursive") {
            throw ChatTemplateError.unsupported(construct: "recursive for loop", line: current.pos.line,
                                                column: current.pos.column)
        }
        try expectEnd(.blockEnd, "'%}'")
        let (body, end) = try parseBlockBody("for", at: pos, ends: ["else", "endfor"])
        var otherwise: [JinjaNode] = []
        try expectEnd(.blockEnd, "'%}'")
        if end == "else" {
            (otherwise, _) = try parseBlockBody("for", at: pos, ends: ["endfor"])
            try expectEnd(.blockEnd, "'%}'")
        }
        return .forLoop(targets: targets, iterable: iterable, filter: filter, body: body, otherwise: otherwise,
                        pos: pos)
    }

    private mutating func parseSetTarget() throws -> JinjaSetTarget {
        guard case .name(let first) = current.kind else { throw syntax("expected a name to set", at: current.pos) }
        _ = advance()
        if current.kind == .op(".") {
            _ = advance()
            guard case .name(let attr) = current.kind else { throw syntax("expected an attribute name", at: current.pos) }
            _ = advance()
            return .attribute(first, attr)
        }
        var names = [first]
        while current.kind == .op(",") {
            _ = advance()
            guard case .name(let n) = current.kind else { throw syntax("expected a name to set", at: current.pos) }
            names.append(n)
            _ = advance()
        }
        return names.count == 1 ? .name(first) : .names(names)
    }

    private mutating func parseSet(at pos: JinjaSourcePosition) throws -> JinjaNode {
        let target = try parseSetTarget()
        if current.kind == .op("=") {
            _ = advance()
            let value = try parseTupleOrExpression()
            try expectEnd(.blockEnd, "'%}'")
            return .set(target, value, pos: pos)
        }
        try expectEnd(.blockEnd, "'=' or '%}'")
        let (body, _) = try parseBlockBody("set", at: pos, ends: ["endset"])
        try expectEnd(.blockEnd, "'%}'")
        return .setBlock(target, body: body, pos: pos)
    }

    private mutating func parseParameters() throws -> [JinjaParameter] {
        var params: [JinjaParameter] = []
        guard current.kind == .op("(") else { return params }
        _ = advance()
        while current.kind != .op(")") {
            guard case .name(let n) = current.kind else { throw syntax("expected a parameter name", at: current.pos) }
            _ = advance()
            var defaultValue: JinjaExpr?
            if current.kind == .op("=") {
                _ = advance()
                defaultValue = try parseExpression()
            }
            params.append(JinjaParameter(name: n, defaultValue: defaultValue))
            if current.kind == .op(",") { _ = advance() } else if current.kind != .op(")") {
                throw syntax("expected ',' or ')' in parameter list", at: current.pos)
            }
        }
        _ = advance()
        return params
    }

    private mutating func parseMacro(at pos: JinjaSourcePosition) throws -> JinjaNode {
        guard case .name(let name) = current.kind else { throw syntax("expected a macro name", at: current.pos) }
        _ = advance()
        let params = try parseParameters()
        try expectEnd(.blockEnd, "'%}'")
        let (body, _) = try parseBlockBody("macro", at: pos, ends: ["endmacro"])
        try expectEnd(.blockEnd, "'%}'")
        return .macro(name: name, params: params, body: body, pos: pos)
    }

    private mutating func parseCall(at pos: JinjaSourcePosition) throws -> JinjaNode {
        let params = try parseParameters()
        let call = try parseExpression()
        try expectEnd(.blockEnd, "'%}'")
        let (body, _) = try parseBlockBody("call", at: pos, ends: ["endcall"])
        try expectEnd(.blockEnd, "'%}'")
        return .callBlock(call: call, params: params, body: body)
    }

    private mutating func parseFilterBlock(at pos: JinjaSourcePosition) throws -> JinjaNode {
        guard case .name(let name) = current.kind else { throw syntax("expected a filter name", at: current.pos) }
        _ = advance()
        var args: [JinjaExpr] = [], kwargs: [(String, JinjaExpr)] = []
        if current.kind == .op("(") { (args, kwargs) = try parseCallArguments() }
        try expectEnd(.blockEnd, "'%}'")
        let (body, _) = try parseBlockBody("filter", at: pos, ends: ["endfilter"])
        try expectEnd(.blockEnd, "'%}'")
        return .filterBlock(name: name, args: args, kwargs: kwargs, body: body, pos: pos)
    }
}
