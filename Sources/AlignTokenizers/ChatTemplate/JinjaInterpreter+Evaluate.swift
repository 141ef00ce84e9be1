// Expression evaluation: names, literals, attribute/subscript access with jinja2's undefined rules (a missing
// key or attribute is Undefined; any access *on* an Undefined raises, as jinja2's default Undefined does),
// Python slicing, arithmetic and comparison with Python's types, `and`/`or` returning operands, calls.

extension JinjaInterpreter {
    func evaluate(_ expr: JinjaExpr, _ scope: JinjaScope) throws -> JinjaValue {
        switch expr.kind {
        case .literal(let v): return v
        case .name(let n): return scope.lookup(n) ?? .undefined(n)
        case .list(let items): return .array(try items.map { try evaluate($0, scope) })
        case .tuple(let items): return .tuple(try items.map { try evaluate($0, scope) })
        case .dict(let pairs):
            var o = JinjaObject()
            for (k, v) in pairs { o[try evaluate(k, scope).outputString] = try evaluate(v, scope) }
            return .object(o)
        case .attribute(let base, let name):
            return try attribute(try evaluate(base, scope), name, pos: expr.pos)
        case .item(let base, let index):
            return try item(try evaluate(base, scope), try evaluate(index, scope), pos: expr.pos)
        case .slice(let base, let start, let stop, let step):
            let bounds = try [start, stop, step].map { try $0.map { try evaluate($0, scope) } }
            return try slice(try evaluate(base, scope), bounds[0], bounds[1], bounds[2], pos: expr.pos)
        case .call(let callee, let args, let kwargs):
            return try call(callee, args: args, kwargs: kwargs, scope: scope, pos: expr.pos)
        case .filter(let base, let name, let args, let kwargs):
            let value = try evaluate(base, scope)
            let argValues = try evaluateArguments(args, scope)
            let kwValues = try evaluateKeywords(kwargs, scope)
            return try applyFilter(name, to: value, args: argValues, kwargs: kwValues, pos: expr.pos)
        case .test(let base, let name, let args, let negated):
            let value = try evaluate(base, scope)
            let argValues = try evaluateArguments(args, scope)
            let result = try applyTest(name, value, argValues, scope: scope, pos: expr.pos)
            return .bool(result != negated)
        case .unary(let op, let operand):
            return try unary(op, try evaluate(operand, scope), pos: expr.pos)
        case .binary("and", let l, let r):
            let left = try evaluate(l, scope)
            return left.truthy ? try evaluate(r, scope) : left
        case .binary("or", let l, let r):
            let left = try evaluate(l, scope)
            return left.truthy ? left : try evaluate(r, scope)
        case .binary(let op, let l, let r):
            return try binary(op, try evaluate(l, scope), try evaluate(r, scope), pos: expr.pos)
        case .conditional(let body, let condition, let otherwise):
            if try evaluate(condition, scope).truthy { return try evaluate(body, scope) }
            return try otherwise.map { try evaluate($0, scope) } ?? .undefined("conditional")
        }
    }

    /// Positional arguments, expanding `*iterable` splats.
    func evaluateArguments(_ args: [JinjaExpr], _ scope: JinjaScope) throws -> [JinjaValue] {
        var values: [JinjaValue] = []
        for arg in args {
            if case .unary("*", let inner) = arg.kind {
                let v = try evaluate(inner, scope)
                guard let items = v.iterated() else { throw runtime("argument after * must be iterable, not \(v.typeName)", arg.pos) }
                values += items
            } else {
                values.append(try evaluate(arg, scope))
            }
        }
        return values
    }

    /// Keyword arguments, expanding `**mapping` splats (stored under the name "**").
    func evaluateKeywords(_ kwargs: [(String, JinjaExpr)], _ scope: JinjaScope) throws -> [(String, JinjaValue)] {
        var values: [(String, JinjaValue)] = []
        for (name, expr) in kwargs {
            let v = try evaluate(expr, scope)
            if name == "**" {
                guard case .object(let o) = v else { throw runtime("argument after ** must be a mapping, not \(v.typeName)", expr.pos) }
                values += o.pairs
            } else {
                values.append((name, v))
            }
        }
        return values
    }

    private func invoke(_ f: JinjaCallable, _ args: [JinjaValue], _ kwargs: [(String, JinjaValue)],
                        pos: JinjaSourcePosition) throws -> JinjaValue
    {
        do { return try f.call(args, kwargs) } catch let error as JinjaCallError { throw runtime(error.message, pos) }
    }

    private func undefinedAccess(_ name: String, _ pos: JinjaSourcePosition) -> ChatTemplateError {
        runtime("'\(name)' is undefined", pos)
    }

    /// `value.name`: dict keys, namespace attributes; methods are resolved at the call site.
    func attribute(_ value: JinjaValue, _ name: String, pos: JinjaSourcePosition) throws -> JinjaValue {
        switch value {
        case .undefined(let n): throw undefinedAccess(n, pos)
        case .object(let o): return o[name] ?? .undefined(name)
        case .namespace(let ns): return ns.attributes[name] ?? .undefined(name)
        default: return .undefined(name)
        }
    }

    /// `value[index]`: list/str positions (negative from the end), dict keys; misses are Undefined.
    func item(_ value: JinjaValue, _ index: JinjaValue, pos: JinjaSourcePosition) throws -> JinjaValue {
        switch (value, index) {
        case (.undefined(let n), _): throw undefinedAccess(n, pos)
        case (.array(let a), .int(let k)), (.tuple(let a), .int(let k)):
            let j = k < 0 ? a.count + k : k
            return a.indices.contains(j) ? a[j] : .undefined("[\(k)]")
        case (.string(let s), .int(let k)):
            let chars = Array(s.unicodeScalars)  // Python indexes code points
            let j = k < 0 ? chars.count + k : k
            return chars.indices.contains(j) ? .string(String(chars[j])) : .undefined("[\(k)]")
        case (.object(let o), .string(let key)): return o[key] ?? .undefined(key)
        case (.namespace(let ns), .string(let key)): return ns.attributes[key] ?? .undefined(key)
        default: return .undefined(index.outputString)
        }
    }

    private func slice(_ value: JinjaValue, _ start: JinjaValue?, _ stop: JinjaValue?, _ step: JinjaValue?,
                       pos: JinjaSourcePosition) throws -> JinjaValue
    {
        func intOrNil(_ v: JinjaValue?) throws -> Int? {
            switch v {
            case nil, .none?: return nil
            case .int(let i)?: return i
            default: throw runtime("slice indices must be integers or None", pos)
            }
        }
        let (a, b, c) = (try intOrNil(start), try intOrNil(stop), try intOrNil(step) ?? 1)
        guard c != 0 else { throw runtime("slice step cannot be zero", pos) }
        switch value {
        case .undefined(let n): throw undefinedAccess(n, pos)
        case .array(let items): return .array(JinjaPython.slice(items, a, b, c))
        case .tuple(let items): return .tuple(JinjaPython.slice(items, a, b, c))
        case .string(let s): return .string(String(String.UnicodeScalarView(JinjaPython.slice(Array(s.unicodeScalars), a, b, c))))
        // jinja2 compiles slices to a plain Python subscript (not environment.getitem), so misuse raises.
        default: throw runtime("'\(value.typeName)' object is not subscriptable", pos)
        }
    }

    private func unary(_ op: String, _ v: JinjaValue, pos: JinjaSourcePosition) throws -> JinjaValue {
        switch (op, v) {
        case ("not", _): return .bool(!v.truthy)
        case ("-", .int(let i)):
            let (negated, overflow) = Int(0).subtractingReportingOverflow(i)
            if overflow { throw runtime("integer overflow in unary -", pos) }
            return .int(negated)
        case ("-", .double(let d)): return .double(-d)
        case ("+", .int), ("+", .double): return v
        case ("-", .bool(let b)): return .int(b ? -1 : 0)
        case ("+", .bool(let b)): return .int(b ? 1 : 0)
        default: throw runtime("bad operand type for unary \(op): '\(v.typeName)'", pos)
        }
    }

    private func call(_ callee: JinjaExpr, args: [JinjaExpr], kwargs: [(String, JinjaExpr)], scope: JinjaScope,
                      pos: JinjaSourcePosition) throws -> JinjaValue
    {
        let argValues = try evaluateArguments(args, scope)
        let kwValues = try evaluateKeywords(kwargs, scope)
        if case .attribute(let baseExpr, let method) = callee.kind {
            let base = try evaluate(baseExpr, scope)
            if case .callable(let f) = try attribute(base, method, pos: pos) {
                return try invoke(f, argValues, kwValues, pos: pos)
            }
            return try callMethod(base, method, argValues, kwValues, pos: callee.pos)
        }
        let f = try evaluate(callee, scope)
        switch f {
        case .callable(let function): return try invoke(function, argValues, kwValues, pos: pos)
        case .undefined(let n): throw undefinedAccess(n, pos)
        default: throw runtime("'\(f.typeName)' object is not callable", pos)
        }
    }
}
