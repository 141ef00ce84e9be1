// LarkReader+Expressions: alternatives, sequences, quantifiers and atoms of Lark definitions, and the
// `%ignore` / `%import` statements.

extension LarkReader {
    /// `alias ('|' alias)*`; a newline followed by `|` continues the alternatives.
    mutating func expansions() throws -> LarkExpr {
        var alts = [try alias()]
        while true {
            if peek.kind == .punct("|") { _ = take(); alts.append(try alias()); continue }
            if peek.kind == .newline, toks[p + 1].kind == .punct("|") { p += 2; alts.append(try alias()); continue }
            break
        }
        return alts.count == 1 ? alts[0] : .alt(alts)
    }

    private mutating func alias() throws -> LarkExpr {
        var items: [LarkExpr] = []
        loop: while true {
            switch peek.kind {
            case .punct("|"), .punct(")"), .punct("]"), .newline, .end: break loop
            case .punct("->"):
                _ = take()
                guard case .rule = take().kind else { throw err("expected a rule name after '->'") }
                break loop
            default: items.append(try expr())
            }
        }
        return items.isEmpty ? .empty : (items.count == 1 ? items[0] : .seq(items))
    }

    private mutating func expr() throws -> LarkExpr {
        let a = try atom()
        switch peek.kind {
        case .op("*"): _ = take(); return .repeat(a, min: 0, max: nil)
        case .op("+"): _ = take(); return .repeat(a, min: 1, max: nil)
        case .op("?"): _ = take(); return .repeat(a, min: 0, max: 1)
        case .punct("~"):
            _ = take()
            let lo = try count()
            var hi = lo
            if peek.kind == .punct("..") { _ = take(); hi = try count() }
            return try bounded(a, lo, hi)
        case .punct("{"):
            let open = take()
            var lo = 0, hi: Int? = nil
            if case .number = peek.kind { lo = try count(); hi = lo }
            else if peek.kind != .punct(",") { throw unsupported("template arguments", open) }
            if peek.kind == .punct(",") { _ = take(); hi = nil; if case .number = peek.kind { hi = try count() } }
            guard take().kind == .punct("}") else { throw err("expected '}' to close the repetition", open) }
            return try bounded(a, lo, hi)
        default: return a
        }
    }

    private mutating func count() throws -> Int {
        let t = take()
        guard case .number(let n) = t.kind else { throw err("expected a repetition count", t) }
        return n
    }

    private func bounded(_ a: LarkExpr, _ lo: Int, _ hi: Int?) throws -> LarkExpr {
        if let h = hi, h < lo { throw err("repetition bounds out of order (\(lo) > \(h))") }
        if max(lo, hi ?? 0) > RegexParser.maxRepeat { throw AlignGrammarError.tooLarge(what: "Lark repeat count", limit: RegexParser.maxRepeat) }
        return .repeat(a, min: lo, max: hi)
    }

    private mutating func atom() throws -> LarkExpr {
        let t = take()
        let place = LarkPlace(line: t.line, column: t.column)
        switch t.kind {
        case .punct("("), .punct("["):
            let close = t.kind == .punct("(") ? ")" : "]"
            depth += 1
            let inner = try expansions()
            guard take().kind == .punct(close) else { throw err("expected '\(close)'", t) }
            depth -= 1
            return close == ")" ? inner : .repeat(inner, min: 0, max: 1)
        case let .string(s, ci):
            if peek.kind == .punct("..") {
                _ = take()
                guard case .string(let hi, _) = take().kind else { throw err("expected a string after '..'", t) }
                return .range(s, hi, place)
            }
            return .string(s, caseInsensitive: ci)
        case let .regex(body, flags): return .regex(body, flags: flags, place)
        case .rule(let n), .terminal(let n): return .name(n, place)
        case .directive("json"):
            let j = take()
            guard case .json(let text) = j.kind else { throw err("expected a JSON schema object after %json", j) }
            return .json(text, place)
        case .directive(let d): throw unsupported("%\(d) inside an expression", t)
        case .special(let s): throw unsupported("special token or grammar reference \(s)", t)
        default: throw err("expected a string, a /regex/, a name, '(' or '['", t)
        }
    }

    /// `%ignore`, `%import common.X [-> Y]`, `%import common (A, B)`; the rest are errors.
    mutating func directive(_ d: String, _ t: LarkToken) throws {
        switch d {
        case "ignore": file.ignores.append(try expansions())
        case "import": try importStatement(t)
        default: throw unsupported("%\(d)", t)
        }
    }

    private mutating func importStatement(_ t: LarkToken) throws {
        var path: [String] = []
        while true {
            let n = take()
            switch n.kind {
            case .rule(let s), .terminal(let s): path.append(s)
            default: throw err("expected a module path after %import", n)
            }
            if peek.kind == .punct(".") { _ = take() } else { break }
        }
        guard path.first == "common" else { throw unsupported("%import of '\(path.joined(separator: "."))' (only common.* terminals)", t) }
        var names: [(String, String)] = []
        if path.count == 1 {
            guard take().kind == .punct("(") else { throw err("expected '(' or '.NAME' after %import common", t) }
            while true {
                guard case .terminal(let n) = take().kind else { throw err("expected a terminal name in %import common (…)", t) }
                names.append((n, n))
                if peek.kind == .punct(",") { _ = take(); continue }
                guard take().kind == .punct(")") else { throw err("expected ')'", t) }
                break
            }
        } else if path.count == 2 {
            var local = path[1]
            if peek.kind == .punct("->") {
                _ = take()
                guard case .terminal(let a) = take().kind else { throw err("expected a terminal name after '->'", t) }
                local = a
            }
            names.append((path[1], local))
        } else { throw unsupported("%import of '\(path.joined(separator: "."))'", t) }
        for (n, local) in names {
            guard let rx = LarkCommon.regexes[n] else { throw err("unknown terminal common.\(n)", t) }
            if file.terminals[local] != nil || file.rules[local] != nil { throw err("'\(local)' is defined twice", t) }
            let place = LarkPlace(line: t.line, column: t.column)
            file.terminals[local] = LarkDefinition(name: local, body: .regex(rx, flags: "", place), place: place)
        }
    }
}
