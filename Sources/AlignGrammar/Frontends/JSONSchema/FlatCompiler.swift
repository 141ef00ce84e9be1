// FlatCompiler: compiles one conjunction of flat schemas (no combinators left) by JSON type: the allowed
// types are the intersection of every `type`, then each type's grammar reads that type's keywords from
// all conjuncts (2020-12 validation §6: type-specific keywords ignore other types). `enum`/`const`
// become literal alternatives filtered by the other keywords.

/// JSON types as a bit set; `number` = integer ∪ fraction.
struct TypeSet: OptionSet {
    let rawValue: Int
    static let null = TypeSet(rawValue: 1), boolean = TypeSet(rawValue: 2), object = TypeSet(rawValue: 4)
    static let array = TypeSet(rawValue: 8), string = TypeSet(rawValue: 16), integer = TypeSet(rawValue: 32)
    static let fraction = TypeSet(rawValue: 64)
    static let all = TypeSet(rawValue: 127)

    static func named(_ n: String) -> TypeSet? {
        switch n {
        case "null": return .null
        case "boolean": return .boolean
        case "object": return .object
        case "array": return .array
        case "string": return .string
        case "integer": return .integer
        case "number": return [.integer, .fraction]
        case SchemaCompiler.fractionType: return .fraction
        default: return nil
        }
    }

    /// The type of a JSON value.
    static func of(_ v: JSONValue) -> TypeSet {
        switch v {
        case .null: return .null
        case .bool: return .boolean
        case .object: return .object
        case .array: return .array
        case .string: return .string
        case .number(let n): return JSONNumber(n)?.isInteger == true ? .integer : .fraction
        }
    }
}

struct FlatCompiler {
    let c: SchemaCompiler
    let flats: [Located]

    init(_ c: SchemaCompiler, _ flats: [Located]) { self.c = c; self.flats = flats }

    /// The allowed types of this conjunction.
    func types() throws -> TypeSet {
        var t = TypeSet.all
        for f in flats {
            guard let v = f.value["type"] else { continue }
            var here = TypeSet()
            let names: [JSONValue]
            if case .array(let a) = v { names = a } else { names = [v] }
            for n in names {
                guard case .string(let s) = n, let ts = TypeSet.named(s) else {
                    throw AlignGrammarError.invalidSchema(pointer: f.ptr + "/type", message: "unknown type \(n.serialized)")
                }
                here.formUnion(ts)
            }
            t.formIntersection(here)
        }
        return t
    }

    func compile() throws -> GrammarExpr {
        let t = try types()
        if let values = try enumValues() { return try enumExpr(values.filter { t.contains(TypeSet.of($0)) }) }
        var alts: [GrammarExpr] = []
        if t.contains(.null) { alts.append(c.b.literal("null")) }
        if t.contains(.boolean) { alts += [c.b.literal("true"), c.b.literal("false")] }
        if t.contains(.integer) { alts.append(try numberExpr(integerOnly: !t.contains(.fraction))) }
        else if t.contains(.fraction) { alts.append(try numberExpr(integerOnly: false, fractionOnly: true)) }
        if t.contains(.string) { alts.append(try stringExpr()) }
        if t.contains(.object) { alts.append(try ObjectCompiler(self).compile()) }
        if t.contains(.array) { alts.append(try arrayExpr()) }
        return alts.isEmpty ? .nothing : (alts.count == 1 ? alts[0] : .alt(alts))
    }

    // MARK: keyword access

    /// Every occurrence of `key` with the pointer of its schema.
    func values(_ key: String) -> [(JSONValue, String)] {
        flats.compactMap { f in f.value[key].map { ($0, f.ptr + "/" + key) } }
    }

    func numbers(_ key: String) throws -> [(JSONNumber, String)] {
        try values(key).map { v, p in
            guard case .number(let n) = v, let x = JSONNumber(n) else {
                throw AlignGrammarError.invalidSchema(pointer: p, message: "expected a number")
            }
            return (x, p)
        }
    }

    /// A non-negative integer keyword (lengths and counts): the tightest over all conjuncts.
    func count(_ key: String, tightest: ([Int]) -> Int?) throws -> Int? {
        let xs = try numbers(key).map { x, p -> Int in
            guard let v = x.int64, v >= 0, v < 1 << 40 else {
                throw AlignGrammarError.invalidSchema(pointer: p, message: "expected a non-negative integer")
            }
            return Int(v)
        }
        return tightest(xs)
    }
    func minCount(_ key: String) throws -> Int { try count(key) { $0.max() } ?? 0 }
    func maxCount(_ key: String) throws -> Int? { try count(key) { $0.min() } }

    // MARK: enum / const

    private func enumValues() throws -> [JSONValue]? {
        var result: [JSONValue]?
        for f in flats {
            var here: [JSONValue]?
            if let v = f.value["const"] { here = [v] }
            if let e = f.value["enum"] {
                guard case .array(let items) = e else {
                    throw AlignGrammarError.invalidSchema(pointer: f.ptr + "/enum", message: "expected an array")
                }
                here = (here ?? items).filter { v in items.contains { $0.schemaEquals(v) } }
            }
            if let h = here { result = result.map { r in r.filter { v in h.contains { $0.schemaEquals(v) } } } ?? h }
        }
        return result
    }

    private func enumExpr(_ values: [JSONValue]) throws -> GrammarExpr {
        var alts: [GrammarExpr] = []
        for v in values where try EnumFilter(self).admits(v) {
            alts.append(try LiteralGrammar(c).expr(v))
        }
        return alts.isEmpty ? .nothing : (alts.count == 1 ? alts[0] : .alt(alts))
    }
}
