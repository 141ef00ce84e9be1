// JinjaInterpreter: runs the statement tree against a variable scope and appends the output.
// Scoping follows jinja2: `for` bodies and macros get their own scope (a `set` inside a loop does not leak
// out — templates use `namespace()` for that), `if` does not. Loop variables (`loop.index`, `index0`,
// `revindex`, `revindex0`, `first`, `last`, `length`, `previtem`, `nextitem`, `cycle`) are computed over the
// items left after the loop's `if` filter, as jinja2 does. Mirrors jinja2 3.1 `runtime.py`/`compiler.py`.

/// Mutable render-wide counters.
final class JinjaRenderState {
    var depth = 0
    /// Output ranges (in Unicode scalars) written inside `{% generation %}` blocks.
    var generationSpans: [Range<Int>] = []
}

/// A chain of variable scopes.
final class JinjaScope {
    var vars: [String: JinjaValue] = [:]
    let parent: JinjaScope?
    init(parent: JinjaScope?) { self.parent = parent }

    func lookup(_ name: String) -> JinjaValue? {
        var scope: JinjaScope? = self
        while let s = scope {
            if let v = s.vars[name] { return v }
            scope = s.parent
        }
        return nil
    }
}

/// Evaluates template nodes.
struct JinjaInterpreter {
    enum Flow { case normal, breakLoop, continueLoop }

    /// The clock behind `strftime_now`.
    let now: TemplateDate
    /// Macro call depth, shared by the closures macros capture.
    let state = JinjaRenderState()
    /// Bound on macro recursion, so a self-calling macro is an error rather than a stack overflow.
    static let maxMacroDepth = 48

    func execute(_ nodes: [JinjaNode], scope: JinjaScope, out: inout String) throws -> Flow {
        for node in nodes {
            let flow = try execute(node, scope: scope, out: &out)
            if flow != .normal { return flow }
        }
        return .normal
    }

    private func execute(_ node: JinjaNode, scope: JinjaScope, out: inout String) throws -> Flow {
        switch node {
        case .text(let s):
            out += s
        case .output(let expr):
            out += try evaluate(expr, scope).outputString
        case .ifBlock(let branches, let otherwise):
            for (condition, body) in branches where try evaluate(condition, scope).truthy {
                return try execute(body, scope: scope, out: &out)
            }
            return try execute(otherwise, scope: scope, out: &out)
        case .forLoop(let targets, let iterable, let filter, let body, let otherwise, let pos):
            try runFor(targets: targets, iterable: iterable, filter: filter, body: body, otherwise: otherwise,
                       pos: pos, scope: scope, out: &out)
        case .set(let target, let expr, let pos):
            try assign(target, try evaluate(expr, scope), scope: scope, pos: pos)
        case .setBlock(let target, let body, let pos):
            var captured = ""
            _ = try execute(body, scope: JinjaScope(parent: scope), out: &captured)
            try assign(target, .string(captured), scope: scope, pos: pos)
        case .macro(let name, let params, let body, let pos):
            scope.vars[name] = .callable(makeMacro(name: name, params: params, body: body, scope: scope, pos: pos))
        case .callBlock(let call, let params, let body):
            out += try runCallBlock(call, params: params, body: body, scope: scope)
        case .filterBlock(let name, let args, let kwargs, let body, let pos):
            var captured = ""
            _ = try execute(body, scope: JinjaScope(parent: scope), out: &captured)
            out += try applyFilter(name, to: .string(captured), args: try evaluateArguments(args, scope),
                                   kwargs: try evaluateKeywords(kwargs, scope), pos: pos).outputString
        case .breakLoop:
            return .breakLoop
        case .continueLoop:
            return .continueLoop
        case .generation(let body):
            // transformers' AssistantTracker records [start, end) of the block's text in the output so far.
            let start = out.unicodeScalars.count
            let flow = try execute(body, scope: scope, out: &out)
            state.generationSpans.append(start..<out.unicodeScalars.count)
            return flow
        }
        return .normal
    }

    /// `{% call macro(args) %}body{% endcall %}`: jinja2 passes the body to the macro as its `caller` keyword.
    private func runCallBlock(_ call: JinjaExpr, params: [JinjaParameter], body: [JinjaNode], scope: JinjaScope) throws
        -> String
    {
        let caller = makeMacro(name: "caller", params: params, body: body, scope: scope, pos: call.pos)
        guard case .call(let callee, let args, let kwargs) = call.kind,
              case .callable(let macro) = try evaluate(callee, scope) else {
            throw runtime("{% call %} needs a macro call", call.pos)
        }
        let argValues = try evaluateArguments(args, scope)
        let kwValues = try evaluateKeywords(kwargs, scope) + [("caller", .callable(caller))]
        return try macro.call(argValues, kwValues).outputString
    }

    private func assign(_ target: JinjaSetTarget, _ value: JinjaValue, scope: JinjaScope, pos: JinjaSourcePosition) throws {
        switch target {
        case .name(let n):
            scope.vars[n] = value
        case .names(let names):
            guard let items = value.iterated(), items.count == names.count else {
                throw runtime("cannot unpack \(value.typeName) into \(names.count) names", pos)
            }
            for (n, v) in zip(names, items) { scope.vars[n] = v }
        case .attribute(let base, let attr):
            guard case .namespace(let ns)? = scope.lookup(base) else {
                throw runtime("cannot assign attribute on non-namespace object '\(base)'", pos)
            }
            ns.attributes[attr] = value
        }
    }

    private func runFor(targets: [String], iterable: JinjaExpr, filter: JinjaExpr?, body: [JinjaNode],
                        otherwise: [JinjaNode], pos: JinjaSourcePosition, scope: JinjaScope, out: inout String) throws
    {
        let source = try evaluate(iterable, scope)
        guard var items = source.iterated() else {
            throw runtime("'\(source.typeName)' object is not iterable", iterable.pos)
        }
        if let filter {
            items = try items.filter { item in
                let s = JinjaScope(parent: scope)
                try bind(targets, item, in: s, pos: pos)
                return try evaluate(filter, s).truthy
            }
        }
        if items.isEmpty {
            _ = try execute(otherwise, scope: scope, out: &out)
            return
        }
        for (k, item) in items.enumerated() {
            let s = JinjaScope(parent: scope)
            try bind(targets, item, in: s, pos: pos)
            s.vars["loop"] = loopObject(index: k, items: items)
            if try execute(body, scope: s, out: &out) == .breakLoop { break }
        }
    }

    private func bind(_ targets: [String], _ item: JinjaValue, in scope: JinjaScope, pos: JinjaSourcePosition) throws {
        if targets.count == 1 {
            scope.vars[targets[0]] = item
            return
        }
        guard let parts = item.iterated(), parts.count == targets.count else {
            throw runtime("cannot unpack \(item.typeName) into \(targets.count) loop variables", pos)
        }
        for (n, v) in zip(targets, parts) { scope.vars[n] = v }
    }

    private func loopObject(index k: Int, items: [JinjaValue]) -> JinjaValue {
        let n = items.count
        var loop = JinjaObject()
        loop["index"] = .int(k + 1)
        loop["index0"] = .int(k)
        loop["revindex"] = .int(n - k)
        loop["revindex0"] = .int(n - k - 1)
        loop["first"] = .bool(k == 0)
        loop["last"] = .bool(k == n - 1)
        loop["length"] = .int(n)
        loop["depth"] = .int(1)
        loop["depth0"] = .int(0)
        loop["previtem"] = k > 0 ? items[k - 1] : .undefined("previtem")
        loop["nextitem"] = k + 1 < n ? items[k + 1] : .undefined("nextitem")
        loop["cycle"] = .callable(JinjaCallable(name: "cycle") { args, _ in
            args.isEmpty ? .undefined("cycle") : args[k % args.count]
        })
        return .object(loop)
    }

    /// A `{% macro %}` as a callable: parameters bind positionally, then by keyword, then defaults.
    private func makeMacro(name: String, params: [JinjaParameter], body: [JinjaNode], scope: JinjaScope,
                           pos: JinjaSourcePosition) -> JinjaCallable
    {
        JinjaCallable(name: name) { args, kwargs in
            state.depth += 1
            defer { state.depth -= 1 }
            guard state.depth <= Self.maxMacroDepth else {
                throw runtime("macro '\(name)' recursed deeper than \(Self.maxMacroDepth) calls", pos)
            }
            let s = JinjaScope(parent: scope)
            for (k, param) in params.enumerated() {
                if k < args.count {
                    s.vars[param.name] = args[k]
                } else if let kw = kwargs.first(where: { $0.0 == param.name }) {
                    s.vars[param.name] = kw.1
                } else if let d = param.defaultValue {
                    s.vars[param.name] = try evaluate(d, s)
                } else {
                    s.vars[param.name] = .undefined(param.name)
                }
            }
            s.vars["varargs"] = .array(Array(args.dropFirst(params.count)))
            if let caller = kwargs.first(where: { $0.0 == "caller" }) { s.vars["caller"] = caller.1 }
            var out = ""
            _ = try execute(body, scope: s, out: &out)
            return .string(out)
        }
    }

    func runtime(_ message: String, _ pos: JinjaSourcePosition) -> ChatTemplateError {
        .runtime(message: message, line: pos.line, column: pos.column)
    }
}
