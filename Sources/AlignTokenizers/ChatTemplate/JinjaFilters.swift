// Jinja filters (`value | name(args)`) used by chat templates, following jinja2 3.1 `filters.py` (argument
// names and defaults, e.g. `default(value, default_value='', boolean=False)`, `unique` and `sort` ignoring
// case by default) and transformers' `tojson`. An unknown filter is `ChatTemplateError.unsupported`.

/// One filter application: the input value and the arguments, looked up by position or keyword.
struct JinjaFilterCall {
    let name: String
    let value: JinjaValue
    let args: [JinjaValue]
    let kwargs: [(String, JinjaValue)]
    let pos: JinjaSourcePosition

    /// The argument at position `k` (after the input) or named `key`.
    func param(_ k: Int, _ key: String) -> JinjaValue? {
        kwargs.first(where: { $0.0 == key })?.1 ?? (k < args.count ? args[k] : nil)
    }
}

extension JinjaInterpreter {
    func applyFilter(_ name: String, to v: JinjaValue, args: [JinjaValue], kwargs: [(String, JinjaValue)],
                     pos: JinjaSourcePosition) throws -> JinjaValue
    {
        let call = JinjaFilterCall(name: name, value: v, args: args, kwargs: kwargs, pos: pos)
        if let result = try textFilter(call) ?? sequenceFilter(call) ?? valueFilter(call) { return result }
        throw ChatTemplateError.unsupported(construct: "filter '\(name)'", line: pos.line, column: pos.column)
    }

    private func items(_ c: JinjaFilterCall) throws -> [JinjaValue] {
        guard let list = c.value.iterated() else { throw runtime("'\(c.value.typeName)' object is not iterable", c.pos) }
        return list
    }

    /// Filters that read their input as text.
    private func textFilter(_ c: JinjaFilterCall) throws -> JinjaValue? {
        let text = c.value.outputString
        switch c.name {
        case "trim":
            let chars: String? = { if case .string(let s)? = c.param(0, "chars") { return s } else { return nil } }()
            return .string(JinjaPython.strip(text, chars: chars, leading: true, trailing: true))
        case "upper": return .string(text.uppercased())
        case "lower": return .string(text.lowercased())
        case "capitalize": return .string(JinjaPython.capitalize(text))
        case "title": return .string(JinjaPython.titleFilter(text))
        case "string": return .string(text)
        case "e", "escape": return .string(JinjaPython.htmlEscape(text))
        case "format":
            let values: JinjaValue = c.kwargs.isEmpty ? .tuple(c.args) : .object(JinjaObject(c.kwargs))
            return .string(try percentFormat(text, values, pos: c.pos))
        case "replace":
            guard case .string(let old)? = c.param(0, "old"), case .string(let new)? = c.param(1, "new") else {
                throw runtime("replace filter needs two strings", c.pos)
            }
            var count = -1
            if case .int(let n)? = c.param(2, "count") { count = n }
            return .string(JinjaPython.replace(text, old, new, count: count))
        case "indent":
            // jinja2 appends "\n" to the input first, so anything but a string fails there.
            guard case .string = c.value else {
                throw runtime("unsupported operand type(s) for +=: '\(c.value.typeName)' and 'str'", c.pos)
            }
            return .string(indentFilter(text, c.param(0, "width"), c.param(1, "first")?.truthy ?? false,
                                        c.param(2, "blank")?.truthy ?? false))
        default: return nil
        }
    }

    /// Filters over lists, dicts and strings as sequences.
    private func sequenceFilter(_ c: JinjaFilterCall) throws -> JinjaValue? {
        switch c.name {
        case "length", "count":
            switch c.value {
            case .string(let s): return .int(s.unicodeScalars.count)
            case .object(let o): return .int(o.count)
            case .iterator(let it): throw runtime("object of type '\(it.kind)' has no len()", c.pos)
            default: return .int(try items(c).count)
            }
        case "first":
            if case .iterator(let it) = c.value { return it.next() ?? .undefined("first") }
            return try items(c).first ?? .undefined("first")
        case "last":
            if case .iterator(let it) = c.value { throw runtime("'\(it.kind)' object is not reversible", c.pos) }
            return try items(c).last ?? .undefined("last")
        case "list": return .array(try items(c))
        case "reverse":
            if case .string(let s) = c.value { return .string(String(String.UnicodeScalarView(s.unicodeScalars.reversed()))) }
            // reversed(list) is a lazy iterator; a generator cannot be reversed, so jinja2 makes a list.
            if case .iterator = c.value { return .array(try items(c).reversed()) }
            return .iterator(JinjaIterator(kind: "list_reverseiterator", items: try items(c).reversed()))
        case "join":
            var list = try items(c)
            if let attr = c.param(1, "attribute") { list = try list.map { try attributePath($0, attr.outputString, pos: c.pos) } }
            return .string(list.map(\.outputString).joined(separator: c.param(0, "d")?.outputString ?? ""))
        case "items", "dictsort":
            if case .undefined = c.value, c.name == "items" { return .iterator(JinjaIterator(kind: "generator", items: [])) }
            if c.name == "items", !isMapping(c.value) { return Self.failingGenerator }  // do_items raises lazily
            guard case .object(let o) = c.value else { throw runtime("\(c.name) needs a mapping, got \(c.value.typeName)", c.pos) }
            var pairs = o.pairs
            if c.name == "dictsort" {
                pairs.sort { $0.0.lowercased().unicodeScalars.lexicographicallyPrecedes($1.0.lowercased().unicodeScalars) }
            }
            let tuples: [JinjaValue] = pairs.map { .tuple([.string($0.0), $0.1]) }
            return c.name == "items" ? .iterator(JinjaIterator(kind: "generator", items: tuples)) : .array(tuples)
        // jinja2's select/reject/map only iterate a truthy input (`if value: for item in value`).
        // Lazy in jinja2: the input is only iterated when the result is, and only if it is truthy
        // (`if value: for item in value`). Here the work happens now, but the result keeps generator semantics.
        case "selectattr", "rejectattr", "select", "reject", "map":
            guard c.value.truthy else { return .iterator(JinjaIterator(kind: "generator", items: [])) }
            guard c.value.isIteratorLike || c.value.iterated() != nil else { return Self.failingGenerator }
            let result = c.name == "map" ? try mapFilter(try items(c), c.args, c.kwargs, pos: c.pos)
                : try selectFilter(c.name, try items(c), c.args, pos: c.pos)
            return .iterator(JinjaIterator(kind: "generator", items: result))
        case "unique":
            guard c.value.isIteratorLike || c.value.iterated() != nil else { return Self.failingGenerator }
            var seen: [JinjaValue] = []
            let input = try items(c)
            // unique keeps a Python set of what it has seen: lists and dicts are unhashable.
            if input.contains(where: { if case .array = $0 { return true }; if case .object = $0 { return true }; return false }) {
                return Self.failingGenerator
            }
            for item in input where !seen.contains(where: { jinjaEquals(foldCase($0), foldCase(item)) }) {
                seen.append(item)
            }
            return .iterator(JinjaIterator(kind: "generator", items: seen))
        case "sort":
            return .array(try sortFilter(try items(c), c.param(0, "reverse")?.truthy ?? false, c.param(2, "attribute"), pos: c.pos))
        case "sum": return try items(c).reduce(JinjaValue.int(0)) { try binary("+", $0, $1, pos: c.pos) }
        case "min", "max": return try sortFilter(try items(c), c.name == "max", nil, pos: c.pos).first ?? .undefined(c.name)
        default: return nil
        }
    }

    /// Filters on single values: conversion, numbers, defaults, JSON.
    private func valueFilter(_ c: JinjaFilterCall) throws -> JinjaValue? {
        let v = c.value
        switch c.name {
        case "safe": return v
        case "attr":
            // jinja2's `attr` reads Python attributes only, never dict items; namespaces hold attributes.
            guard case .string(let name)? = c.param(0, "name") else { throw runtime("attr needs a name", c.pos) }
            if case .namespace(let ns) = v { return ns.attributes[name] ?? .undefined(name) }
            if case .undefined(let n) = v { throw runtime("'\(n)' is undefined", c.pos) }
            return .undefined(name)
        case "default", "d":
            let fallback = c.param(0, "default_value") ?? .string("")
            let boolean = c.param(1, "boolean")?.truthy ?? false
            return (v.isUndefined || (boolean && !v.truthy)) ? fallback : v
        case "tojson": return .string(try toJSON(v, jsonOptions(c), pos: c.pos))
        case "int", "float":
            do {
                return c.name == "int" ? try toInt(v, default: c.param(0, "default") ?? .int(0))
                    : try toFloat(v, default: c.param(0, "default") ?? .double(0))
            } catch let error as JinjaCallError {
                throw runtime(error.message, c.pos)
            }
        case "abs":
            switch v {
            case .int(let i) where i != Int.min: return .int(abs(i))
            case .bool(let b): return .int(b ? 1 : 0)
            case .double(let d): return .double(abs(d))
            default: throw runtime("bad operand type for abs(): '\(v.typeName)'", c.pos)
            }
        case "round": return try roundFilter(v, c.param(0, "precision"), c.param(1, "method"), pos: c.pos)
        default: return nil
        }
    }

    /// A generator whose input was not iterable; using it fails as in jinja2.
    private static var failingGenerator: JinjaValue { .iterator(JinjaIterator(kind: "generator", items: [], fails: true)) }

    private func isMapping(_ v: JinjaValue) -> Bool {
        if case .object = v { return true }
        return false
    }

    /// jinja2's `make_attrgetter`: "a.b.0" walks keys and list positions, item lookup first.
    func attributePath(_ value: JinjaValue, _ path: String, pos: JinjaSourcePosition) throws -> JinjaValue {
        var current = value
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            let key: JinjaValue = Int(part).map { .int($0) } ?? .string(String(part))
            current = try item(current, key, pos: pos)
        }
        return current
    }

    private func jsonOptions(_ c: JinjaFilterCall) -> JinjaJSONOptions {
        let param = c.param
        var o = JinjaJSONOptions()
        switch param(1, "indent") {
        case .int(let n)?: o.indent = String(repeating: " ", count: min(max(n, 0), Self.maxFieldWidth))
        case .string(let s)?: o.indent = s
        default: break
        }
        if o.indent != nil { o.itemSeparator = "," }
        if let seps = param(2, "separators")?.sequenceItems, seps.count == 2 {
            o.itemSeparator = seps[0].outputString
            o.keySeparator = seps[1].outputString
        }
        o.sortKeys = param(3, "sort_keys")?.truthy ?? false
        o.ensureASCII = param(0, "ensure_ascii")?.truthy ?? false
        return o
    }

    private func toInt(_ v: JinjaValue, default fallback: JinjaValue) throws -> JinjaValue {
        switch v {
        case .undefined(let n): throw JinjaCallError(message: "'\(n)' is undefined")  // int(Undefined) raises
        case .int: return v
        case .bool(let b): return .int(b ? 1 : 0)
        case .double(let d): return Int(exactly: d.rounded(.towardZero)).map { .int($0) } ?? fallback
        case .string(let s):
            let t = JinjaPython.strip(s, chars: nil, leading: true, trailing: true)
            if let i = Int(t) { return .int(i) }
            if let d = Double(t), let i = Int(exactly: d.rounded(.towardZero)) { return .int(i) }
            return fallback
        default: return fallback
        }
    }

    private func toFloat(_ v: JinjaValue, default fallback: JinjaValue) throws -> JinjaValue {
        switch v {
        case .undefined(let n): throw JinjaCallError(message: "'\(n)' is undefined")
        case .string(let s): return Double(JinjaPython.strip(s, chars: nil, leading: true, trailing: true)).map { .double($0) } ?? fallback
        default: return v.number.map { .double($0) } ?? fallback
        }
    }

    private func roundFilter(_ v: JinjaValue, _ precision: JinjaValue?, _ method: JinjaValue?, pos: JinjaSourcePosition)
        throws -> JinjaValue
    {
        guard let x = v.number else { throw runtime("round needs a number", pos) }
        var digits = 0
        if case .int(let p)? = precision { digits = p }
        let common = method.map { $0.outputString == "common" } ?? true
        if common, let i = v.intValue { return .int(roundInteger(i, digits)) }
        // Beyond these, Python's round returns the value itself (17+ digits) or zero (below -308).
        if digits > 17 { return .double(x) }
        if digits < -308 { return .double(x.sign == .minus ? -0.0 : 0.0) }
        var scale = 1.0
        for _ in 0..<abs(digits) { scale *= 10 }
        let scaled = digits >= 0 ? x * scale : x / scale
        let rule: FloatingPointRoundingRule
        switch method?.outputString ?? "common" {
        case "ceil": rule = .up
        case "floor": rule = .down
        default: rule = .toNearestOrEven  // Python's round() rounds half to even
        }
        let r = scaled.rounded(rule)
        return .double(digits >= 0 ? r / scale : r * scale)
    }

    /// Python's round(int, ndigits): unchanged for ndigits ≥ 0, else half-to-even at 10^-ndigits.
    private func roundInteger(_ i: Int, _ digits: Int) -> Int {
        guard digits < 0 else { return i }
        guard digits > -19 else { return 0 }
        var unit = 1
        for _ in 0..<(-digits) { unit *= 10 }
        let (q, r) = (i / unit, i % unit)
        let twice = 2 * abs(r)
        var rounded = q
        if twice > unit || (twice == unit && q % 2 != 0) { rounded += i < 0 ? -1 : 1 }
        let (result, overflow) = rounded.multipliedReportingOverflow(by: unit)
        return overflow ? i : result
    }

    private func selectFilter(_ name: String, _ list: [JinjaValue], _ args: [JinjaValue], pos: JinjaSourcePosition) throws
        -> [JinjaValue]
    {
        let byAttribute = name.hasSuffix("attr")
        let keep = name.hasPrefix("select")
        var rest = args[...]
        var attr: String?
        if byAttribute {
            guard let a = rest.popFirst() else { throw runtime("\(name) needs an attribute name", pos) }
            attr = a.outputString
        }
        let testName = rest.popFirst()?.outputString
        return try list.filter { item in
            let subject = try attr.map { try attributePath(item, $0, pos: pos) } ?? item
            let passed = try testName.map { try applyTest($0, subject, Array(rest), scope: nil, pos: pos) } ?? subject.truthy
            return passed == keep
        }
    }

    private func mapFilter(_ list: [JinjaValue], _ args: [JinjaValue], _ kwargs: [(String, JinjaValue)],
                           pos: JinjaSourcePosition) throws -> [JinjaValue]
    {
        if let attr = kwargs.first(where: { $0.0 == "attribute" })?.1.outputString {
            let fallback = kwargs.first(where: { $0.0 == "default" })?.1
            return try list.map { item in
                let v = try attributePath(item, attr, pos: pos)
                return v.isUndefined ? (fallback ?? v) : v
            }
        }
        guard let filterName = args.first?.outputString else { throw runtime("map needs a filter or attribute=", pos) }
        return try list.map { try applyFilter(filterName, to: $0, args: Array(args.dropFirst()), kwargs: kwargs, pos: pos) }
    }

    private func sortFilter(_ list: [JinjaValue], _ reverse: Bool, _ attribute: JinjaValue?, pos: JinjaSourcePosition)
        throws -> [JinjaValue]
    {
        let keys = try list.map { item in foldCase(try attribute.map { try attributePath(item, $0.outputString, pos: pos) } ?? item) }
        var order = Array(list.indices)
        var failure: ChatTemplateError?
        order.sort { a, b in
            do { return try binary(reverse ? ">" : "<", keys[a], keys[b], pos: pos).truthy } catch {
                failure = error as? ChatTemplateError
                return false
            }
        }
        if let failure { throw failure }
        return order.map { list[$0] }
    }

    private func foldCase(_ v: JinjaValue) -> JinjaValue {
        if case .string(let s) = v { return .string(s.lowercased()) }
        return v
    }

    private func indentFilter(_ s: String, _ width: JinjaValue?, _ first: Bool, _ blank: Bool) -> String {
        let pad: String
        switch width {
        case .string(let w)?: pad = w
        case .int(let n)?: pad = String(repeating: " ", count: min(max(n, 0), Self.maxFieldWidth))
        default: pad = "    "
        }
        let lines = s.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.enumerated().map { k, line in
            (k == 0 && !first) || (!blank && line.allSatisfy { JinjaPython.isWhitespace($0.unicodeScalars.first ?? " ") })
                ? String(line) : pad + line
        }.joined(separator: "\n")
    }
}
