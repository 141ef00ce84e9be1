// LiteralGrammar: the grammar of exactly one JSON value (for enum/const), under the whitespace and
// property-order options. Numbers match by value in plain decimal form: 1 also matches 1.0 and 1.00,
// 0 also matches -0 (JSON Schema equality); exponent spellings are not generated.

struct LiteralGrammar {
    let c: SchemaCompiler
    init(_ c: SchemaCompiler) { self.c = c }

    func expr(_ v: JSONValue) throws -> GrammarExpr {
        switch v {
        case .null, .bool, .string: return c.b.literal(v.serialized)
        case .number(let n):
            guard let x = JSONNumber(n) else { return .nothing }
            return try c.b.terminal(LiteralGrammar.number(x))
        case .array(let items):
            if items.isEmpty { return .seq([c.b.literal("["), c.ws, c.b.literal("]")]) }
            var parts: [GrammarExpr] = [c.b.literal("["), c.ws]
            for (i, it) in items.enumerated() {
                if i > 0 { parts.append(c.comma) }
                parts.append(try expr(it))
            }
            return .seq(parts + [c.ws, c.b.literal("]")])
        case .object(let ms):
            let members = try ms.map { m in
                ObjectLayout.Member(expr: .seq([c.b.literal(JSONValue.string(m.key).serialized), c.colon, try expr(m.value)]),
                                    required: true)
            }
            return try ObjectLayout(c: c, members: members, extra: nil, minProperties: 0, maxProperties: nil).grammar()
        }
    }

    /// Decimal spellings of `x` without exponent.
    static func number(_ x: JSONNumber) -> ByteRegex {
        let zeros = ByteRegex.repeat(.literal("0"), min: 0, max: nil)
        if x.isZero { return .seq([.opt(.literal("-")), .literal("0"), NumberLanguage.zeroFraction]) }
        let sign: ByteRegex = x.negative ? .literal("-") : .empty
        let ds = x.digits.map { $0 + 0x30 }
        if x.isInteger {
            return .seq([sign, .literal(ds + [UInt8](repeating: 0x30, count: x.exponent)), NumberLanguage.zeroFraction])
        }
        let intCount = ds.count + x.exponent
        let intPart: [UInt8] = intCount > 0 ? Array(ds.prefix(intCount)) : [0x30]
        let frac: [UInt8] = intCount >= 0 ? Array(ds.dropFirst(intCount)) : [UInt8](repeating: 0x30, count: -intCount) + ds
        return .seq([sign, .literal(intPart + [0x2E] + frac), zeros])
    }
}
