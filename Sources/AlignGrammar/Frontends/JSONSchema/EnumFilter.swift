// EnumFilter: decides whether an `enum`/`const` value also satisfies the sibling keywords of its
// conjunction, exactly (numbers compare as decimals). Structural keywords on object/array values
// (properties, items, …) are not evaluated here and are reported as unsupported.

struct EnumFilter {
    let f: FlatCompiler
    init(_ f: FlatCompiler) { self.f = f }

    func admits(_ v: JSONValue) throws -> Bool {
        switch v {
        case .string(let s): return try string(s)
        case .number(let n): guard let x = JSONNumber(n) else { return false }; return try number(x)
        case .array(let items):
            try structural(["items", "prefixItems", "uniqueItems"])
            let lo = try f.minCount("minItems"), hi = try f.maxCount("maxItems") ?? Int.max
            return items.count >= lo && items.count <= hi
        case .object(let ms):
            try structural(["properties", "additionalProperties", "patternProperties", "propertyNames"])
            for (r, p) in f.values("required") {
                guard case .array(let names) = r else { throw AlignGrammarError.invalidSchema(pointer: p, message: "expected an array") }
                for case .string(let n) in names where !ms.contains(where: { $0.key.sameScalars(n) }) { return false }
            }
            let lo = try f.minCount("minProperties"), hi = try f.maxCount("maxProperties") ?? Int.max
            return ms.count >= lo && ms.count <= hi
        default: return true
        }
    }

    private func structural(_ keys: [String]) throws {
        for k in keys { for (_, p) in f.values(k) { try f.c.unsupported(k, p, "combined with enum/const of structured values") } }
    }

    private func string(_ s: String) throws -> Bool {
        let n = s.unicodeScalars.count
        let lo = try f.minCount("minLength"), hi = try f.maxCount("maxLength") ?? Int.max
        if n < lo || n > hi { return false }
        guard let d = try f.stringContent() else { return true }
        var text = ""
        JSONValue.writeString(s, to: &text)
        return d.matches(Array(text.utf8.dropFirst().dropLast()))
    }

    private func number(_ x: JSONNumber) throws -> Bool {
        for (v, _) in f.values("$align:notNumbers") {
            if case .array(let xs) = v, xs.contains(where: { if case .number(let n) = $0 { return JSONNumber(n) == x }; return false }) { return false }
        }
        for (b, _) in try f.numbers("minimum") where x < b { return false }
        for (b, _) in try f.numbers("exclusiveMinimum") where !(b < x) { return false }
        for (b, _) in try f.numbers("maximum") where b < x { return false }
        for (b, _) in try f.numbers("exclusiveMaximum") where !(x < b) { return false }
        for (m, p) in try f.numbers("multipleOf") {
            if m.isInteger, let mv = m.int64, mv > 0 {
                guard x.isInteger, let xv = x.int64 else {
                    if x.isInteger { try f.c.unsupported("multipleOf", p, "value too large to check"); continue }
                    return false
                }
                if xv % mv != 0 { return false }
            } else if m.digits == [1] {
                if !x.isInteger && -x.exponent > -m.exponent { return false }
            } else {
                try f.c.unsupported("multipleOf", p, "only integers and powers of ten are checked")
            }
        }
        return true
    }
}
