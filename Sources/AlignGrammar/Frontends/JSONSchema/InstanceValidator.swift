// InstanceValidator: decides whether one concrete JSON value is valid under a schema, exactly, for
// the keywords of draft 2020-12 validation (plus draft-07's `dependencies` and 2019-09's array-form
// `items`/`additionalItems`). The answer is three-valued: true, false, or nil ("cannot decide
// exactly"), and nil propagates through `not`, so a doubtful keyword never turns into an accepted
// value. The compiler uses it where a schema's values are finitely many (an `enum`/`const` conjunct):
// every candidate value is checked against the whole schema, which decides `not`, `if`, `contains`,
// `uniqueItems`, `dependentRequired`… exactly without compiling them to a grammar.
// Semantics: JSON Schema Validation 2020-12 §6 (validation keywords), Core §10 (applicators);
// numbers compare by exact decimal value. Left undecided (nil): `format` (our format automata are
// approximations), `unevaluated*`, `$dynamicRef`/`$recursiveRef`, references nested past 64 levels,
// regexes our lowering refuses, multipleOf with very long operands.

struct InstanceValidator {
    let refs: RefResolver
    /// Search automata of the patterns seen so far (nil: the pattern does not compile).
    final class Patterns { var dfas: [String: DFA?] = [:] }
    let patterns = Patterns()
    /// Older drafts (04–07): a `$ref` overrides its sibling keywords.
    let refOverridesSiblings: Bool
    var maxDepth = 64

    init(refs: RefResolver, root: JSONValue) {
        self.refs = refs
        if case .string(let s)? = root["$schema"] {
            refOverridesSiblings = ["draft-04", "draft-06", "draft-07"].contains { s.contains($0) }
        } else { refOverridesSiblings = false }
    }

    /// Three-valued conjunction, disjunction.
    static func and(_ xs: [Bool?]) -> Bool? { xs.contains(false) ? false : (xs.contains(nil) ? nil : true) }
    static func or(_ xs: [Bool?]) -> Bool? { xs.contains(true) ? true : (xs.contains(nil) ? nil : false) }

    /// Whether `v` is valid under schema `s` (nil = undecided).
    func validate(_ v: JSONValue, _ s: Located, depth: Int = 0) -> Bool? {
        if depth > maxDepth { return nil }
        switch s.value {
        case .bool(let b): return b
        case .object: break
        default: return nil
        }
        if let r = s.value["$ref"] {
            guard case .string(let ref) = r, let target = try? refs.resolve(ref, at: s.ptr) else { return nil }
            let here = validate(v, target, depth: depth + 1)
            if refOverridesSiblings || here == false { return here }
            return Self.and([here, local(v, s, depth: depth)])
        }
        return local(v, s, depth: depth)
    }

    /// Every keyword of `s` except `$ref`; stops at the first definite `false`.
    private func local(_ v: JSONValue, _ s: Located, depth: Int) -> Bool? {
        var undecided = false
        for m in s.value.members ?? [] {
            let r = keyword(m.key, m.value, v, s, depth: depth)
            if r == false { return false }
            if r == nil { undecided = true }
        }
        return undecided ? nil : true
    }

    private func keyword(_ k: String, _ kv: JSONValue, _ v: JSONValue, _ s: Located, depth: Int) -> Bool? {
        switch k {
        case "type": return typeMatches(kv, v)
        case "enum":
            guard case .array(let items) = kv else { return nil }
            return items.contains { $0.schemaEquals(v) }
        case "const": return kv.schemaEquals(v)
        case "allOf", "anyOf", "oneOf": return combinator(k, kv, v, s, depth: depth)
        case "not": return validate(v, s.child(kv, "not"), depth: depth + 1).map { !$0 }
        case "if": return conditional(v, s, depth: depth)
        case "then", "else", "$ref", "minContains", "maxContains", "additionalItems": return true   // read with their partners
        case "format", "unevaluatedProperties", "unevaluatedItems", "$dynamicRef", "$recursiveRef": return nil
        default: if k.hasPrefix("$align:") { return nil }
        }
        switch v {
        case .number(let n): return numberKeyword(k, kv, n)
        case .string(let str): return stringKeyword(k, kv, str)
        case .array(let items): return arrayKeyword(k, kv, items, s, depth: depth)
        case .object(let ms): return objectKeyword(k, kv, ms, s, depth: depth)
        default: return true
        }
    }

    private func typeMatches(_ t: JSONValue, _ v: JSONValue) -> Bool? {
        let names: [JSONValue]
        if case .array(let a) = t { names = a } else { names = [t] }
        var any = TypeSet()
        for case .string(let n) in names { guard let ts = TypeSet.named(n) else { return nil }; any.formUnion(ts) }
        return any.contains(TypeSet.of(v))
    }

    private func combinator(_ k: String, _ kv: JSONValue, _ v: JSONValue, _ s: Located, depth: Int) -> Bool? {
        guard case .array(let subs) = kv else { return nil }
        let rs = subs.enumerated().map { validate(v, s.child($1, k, String($0)), depth: depth + 1) }
        switch k {
        case "allOf": return Self.and(rs)
        case "anyOf": return Self.or(rs)
        default:
            let yes = rs.filter { $0 == true }.count
            if yes >= 2 { return false }
            if rs.contains(nil) { return nil }
            return yes == 1
        }
    }

    /// if/then/else (2020-12 Core §10.2.2): without `if`'s outcome nothing is known.
    private func conditional(_ v: JSONValue, _ s: Located, depth: Int) -> Bool? {
        guard let cond = s.value["if"] else { return true }
        guard let ok = validate(v, s.child(cond, "if"), depth: depth + 1) else { return nil }
        let key = ok ? "then" : "else"
        guard let branch = s.value[key] else { return true }
        return validate(v, s.child(branch, key), depth: depth + 1)
    }

    private func numberKeyword(_ k: String, _ kv: JSONValue, _ lexeme: String) -> Bool? {
        guard ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"].contains(k) else { return true }
        guard let x = JSONNumber(lexeme), case .number(let bl) = kv, let b = JSONNumber(bl) else { return nil }
        switch k {
        case "minimum": return !(x < b)
        case "maximum": return !(b < x)
        case "exclusiveMinimum": return b < x
        case "exclusiveMaximum": return x < b
        default: return Self.isMultiple(x, of: b)
        }
    }

    /// x / m is an integer (exact decimals: x = X·10^a, m = M·10^b; scale both to 10^min(a,b) and
    /// take X' mod M' digit by digit). Nil when M' does not fit comfortably in 64 bits.
    static func isMultiple(_ x: JSONNumber, of m: JSONNumber) -> Bool? {
        if m.isZero || m.negative { return nil }
        if x.isZero { return true }
        let e = min(x.exponent, m.exponent)
        guard m.digits.count + (m.exponent - e) <= 17, x.exponent - e <= 100_000 else { return nil }
        var mv: UInt64 = 0
        for d in m.digits { mv = mv * 10 + UInt64(d) }
        for _ in 0..<(m.exponent - e) { mv *= 10 }
        var r: UInt64 = 0
        for d in x.digits { r = (r * 10 + UInt64(d)) % mv }
        for _ in 0..<(x.exponent - e) { r = (r * 10) % mv }
        return r == 0
    }

    private func stringKeyword(_ k: String, _ kv: JSONValue, _ str: String) -> Bool? {
        switch k {
        case "minLength", "maxLength":
            guard case .number(let l) = kv, let n = JSONNumber(l)?.int64 else { return nil }
            let count = Int64(str.unicodeScalars.count)
            return k == "minLength" ? count >= n : count <= n
        case "pattern":
            guard case .string(let p) = kv else { return nil }
            return search(p, in: str)
        default: return true
        }
    }

    /// ECMA-262 regex search (unanchored) through the same automaton the grammar uses.
    func search(_ pattern: String, in str: String) -> Bool? {
        if patterns.dfas[pattern] == nil {
            patterns.dfas[pattern] = .some(try? DFA(RegexLowering.searchLanguage(pattern, encoding: .jsonString)))
        }
        guard case .some(.some(let d)) = patterns.dfas[pattern] else { return nil }
        return d.matches(ObjectCompiler.content(str))
    }
}
