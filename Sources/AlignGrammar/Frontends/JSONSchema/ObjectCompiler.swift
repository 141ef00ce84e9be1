// ObjectCompiler: object keywords of a conjunction. For each key the applicable value schemas follow
// 2020-12 §10.3.2: `properties[k]` and every matching `patternProperties` schema apply; only if neither
// does, `additionalProperties` applies — evaluated per conjunct, then intersected. Keys outside the
// declared names are split into classes by which patterns they match (DFA products), so each class
// has one value schema. `propertyNames` restricts every key.

struct ObjectCompiler {
    let f: FlatCompiler
    var c: SchemaCompiler { f.c }
    init(_ f: FlatCompiler) { self.f = f }

    struct Info {
        var props: [(String, Located)] = []
        var patterns: [(Located, DFA)] = []
        var additional: Located?
    }

    private func info(_ l: Located) throws -> Info {
        var i = Info()
        if let p = l.value["properties"] {
            guard let ms = p.members else { throw AlignGrammarError.invalidSchema(pointer: l.ptr + "/properties", message: "expected an object") }
            i.props = ms.map { ($0.key, l.child($0.value, "properties", $0.key)) }
        }
        if let p = l.value["patternProperties"] {
            guard let ms = p.members else { throw AlignGrammarError.invalidSchema(pointer: l.ptr + "/patternProperties", message: "expected an object") }
            for m in ms {
                let d = try DFA(RegexLowering.searchLanguage(m.key, encoding: .jsonString), maxStates: c.options.maxTerminalStates)
                i.patterns.append((l.child(m.value, "patternProperties", m.key), d))
            }
        }
        if let a = l.value["additionalProperties"] { i.additional = l.child(a, "additionalProperties") }
        return i
    }

    static func content(_ name: String) -> [UInt8] {
        var s = ""
        JSONValue.writeString(name, to: &s)
        return Array(s.utf8.dropFirst().dropLast())
    }

    /// Value schemas that apply to `name` in one conjunct; nil if the conjunct forbids the key.
    private func applicable(_ i: Info, _ name: String) -> [Located]? {
        var out = i.props.filter { $0.0 == name }.map { $0.1 }
        let bytes = ObjectCompiler.content(name)
        out += i.patterns.filter { $0.1.matches(bytes) }.map { $0.0 }
        if out.isEmpty, let a = i.additional {
            if case .bool(false) = a.value { return nil }
            out.append(a)
        }
        return out
    }

    private func required() throws -> [String] {
        var out: [String] = []
        for (v, p) in f.values("required") {
            guard case .array(let items) = v else { throw AlignGrammarError.invalidSchema(pointer: p, message: "expected an array of strings") }
            for case .string(let s) in items where !out.contains(s) { out.append(s) }
        }
        return out
    }

    /// Key content allowed by every `propertyNames` (nil = any).
    private func propertyNames() throws -> DFA? {
        var d: DFA?
        for (v, p) in f.values("propertyNames") {
            let l = Located(value: v, ptr: p)
            let here: DFA
            switch v {
            case .bool(true): continue
            case .bool(false): here = try DFA(.nothing)
            default:
                let keys = Set((v.members ?? []).map(\.key))
                let stringKeys: Set<String> = ["type", "minLength", "maxLength", "pattern", "format"]
                guard keys.subtracting(Keywords.annotations).isSubset(of: stringKeys) else {
                    try c.unsupported("propertyNames", p, "only string keywords (pattern, lengths, format) are compiled"); continue
                }
                here = try FlatCompiler(c, [l]).stringContent(forceDFA: true) ?? DFA(.nothing)
            }
            d = try d.map { try $0.intersect(here) } ?? here
        }
        return d
    }

    func compile() throws -> GrammarExpr {
        let infos = try f.flats.map { try info($0) }
        let req = try required()
        let keyFilter = try propertyNames()
        var names: [String] = []
        for i in infos { for (n, _) in i.props where !names.contains(n) { names.append(n) } }
        for n in req where !names.contains(n) { names.append(n) }
        var members: [ObjectLayout.Member] = []
        for n in names {
            var schemas: [Located] = []
            var forbidden = keyFilter.map { !$0.matches(ObjectCompiler.content(n)) } ?? false
            for i in infos { if let a = applicable(i, n) { schemas += a } else { forbidden = true } }
            if forbidden { if req.contains(n) { return .nothing }; continue }
            let key = c.b.literal("\"" + String(decoding: ObjectCompiler.content(n), as: UTF8.self) + "\"")
            let rule = c.b.newRule("property " + n)
            c.b.define(rule, .seq([key, c.colon, try c.exprAll(schemas)]))
            members.append(.init(expr: .rule(rule), required: req.contains(n)))
        }
        let extra = try extras(infos, names: names, keyFilter: keyFilter)
        let maxP = try f.maxCount("maxProperties")
        return try ObjectLayout(c: c, members: members, extra: extra, minProperties: try f.minCount("minProperties"),
                                maxProperties: maxP).grammar()
    }
}
