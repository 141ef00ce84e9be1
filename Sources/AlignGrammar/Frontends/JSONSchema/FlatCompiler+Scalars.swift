// FlatCompiler+Scalars: strings (length ∩ pattern ∩ format as one DFA over the canonical JSON
// encoding, quotes included) and numbers (exact integer ranges, integer-rounded bounds for decimals,
// multipleOf by remainder automata). Lengths count Unicode scalars (2020-12 validation §6.3.1).

extension FlatCompiler {
    var charRegex: ByteRegex { ScalarEncoding.jsonString.encode(ScalarSet.any) }

    /// The canonical JSON-string content allowed by minLength/maxLength/pattern/format, or nil if
    /// only lengths (or nothing) constrain it and `forceDFA` is false.
    func stringContent(forceDFA: Bool = false) throws -> DFA? {
        let lo = try minCount("minLength"), hi = try maxCount("maxLength")
        var constraints: [DFA] = []
        for (v, p) in values("pattern") {
            guard case .string(let pat) = v else { throw AlignGrammarError.invalidSchema(pointer: p, message: "expected a string") }
            constraints.append(try DFA(RegexLowering.searchLanguage(pat, encoding: .jsonString), maxStates: c.options.maxTerminalStates))
        }
        for (v, p) in values("format") {
            guard case .string(let f) = v else { throw AlignGrammarError.invalidSchema(pointer: p, message: "expected a string") }
            if let d = try Formats.language(f, encoding: .jsonString) { constraints.append(d) } else {
                try c.unsupported("format", p, "unknown format '\(f)' (supported: \(Formats.supported.joined(separator: ", ")))")
            }
        }
        constraints += try negatedStrings()
        if constraints.isEmpty && !forceDFA { return nil }
        var d = try DFA(.repeat(charRegex, min: lo, max: hi), maxStates: c.options.maxTerminalStates)
        for x in constraints { d = try d.intersect(x, maxStates: c.options.maxTerminalStates) }
        return d
    }

    func stringExpr() throws -> GrammarExpr {
        let lo = try minCount("minLength"), hi = try maxCount("maxLength")
        if let hi, hi < lo { return .nothing }
        if let d = try stringContent() { return c.b.terminal(d.quoted()) }
        if lo == 0 && hi == nil { return try c.anyString() }
        // One quoted DFA keeps the mask walk on its fast path (nothing accepts before the closing
        // quote); past 1024 characters the automaton gets too big and `longString` splits it into chunks.
        if (hi ?? lo) <= 1024 {
            let key = "string \(lo)-\(hi ?? -1)"
            if let t = c.cache.lengthTerms[key] { return t }
            let t: GrammarExpr
            if let hi, hi > 64 {
                t = c.b.terminal(DFA.counted(try DFA(charRegex), min: lo, max: hi).quoted())
            } else {
                t = try c.b.terminal(.seq([.literal("\""), .repeat(charRegex, min: lo, max: hi), .literal("\"")]))
            }
            c.cache.lengthTerms[key] = t
            return t
        }
        return .seq([c.b.literal("\""), try longString(lo, hi)])
    }

    /// String content of `lo...hi` characters (hi nil = unbounded) and the closing quote, past the
    /// single-automaton limit, in chunks of K characters that are one terminal each, so the parser
    /// completes a rule once per chunk rather than once per character: x{lo,hi} = x{lo} followed by at
    /// most d = hi − lo more, where x{m} = X{m / K} x{m % K} and "at most d" = X{0,Q−1} x{0,K−1} |
    /// X{Q} x{0,R} with Q = d / K, R = d % K (the two branches cover 0…QK−1 and QK…d exactly). The
    /// closing quote is part of the last terminal, so nothing accepts between chunk ends (a terminal
    /// accepting at every character would make each character a rule completion for the mask walk).
    private func longString(_ lo: Int, _ hi: Int?) throws -> GrammarExpr {
        let k = 256
        let char = try DFA(charRegex)
        func counted(_ a: Int, _ b: Int) -> GrammarExpr { b == 0 ? .empty : c.b.terminal(DFA.counted(char, min: a, max: b)) }
        func closing(_ a: Int, _ b: Int) -> GrammarExpr { c.b.terminal(DFA.counted(char, min: a, max: b).closingQuote()) }
        let chunk = counted(k, k)
        let exact = GrammarExpr.seq([.repeat(chunk, min: lo / k, max: lo / k), counted(lo % k, lo % k)])
        guard let hi else { return .seq([exact, try c.b.terminal(.seq([.star(charRegex), .literal("\"")]))]) }
        let d = hi - lo, q = d / k, r = d % k
        let more: GrammarExpr = q == 0 ? closing(0, r) : .alt([
            .seq([.repeat(chunk, min: 0, max: q - 1), closing(0, k - 1)]),
            .seq([.repeat(chunk, min: q, max: q), closing(0, r)]),
        ])
        return .seq([exact, more])
    }

    /// Integer bounds (inclusive) derived from minimum/maximum/exclusive*; non-integer bounds round inward.
    /// An upper bound above 10^18 (or a lower bound below −10^18) is clamped to ±10^18: inward, so
    /// sound (numbers beyond are rejected although valid — reported as a warning), e.g. the
    /// `"maximum": 9223372036854775807` of 64-bit ids. Bounds beyond ±10^18 on the other side would
    /// empty or nearly empty the range and stay errors.
    func integerBounds() throws -> (Int64?, Int64?) {
        var lo: Int64?, hi: Int64?
        let limit: Int64 = 1_000_000_000_000_000_000
        func bound(_ x: JSONNumber, _ p: String, upper: Bool, _ f: (JSONNumber) -> Int64?) throws -> Int64 {
            if let v = f(x) { return v }
            if upper != x.negative {
                c.warnings.append("\(p): bound beyond ±10^18 clamped to \(upper ? "" : "-")10^18")
                return upper ? limit : -limit
            }
            throw AlignGrammarError.unsupportedKeyword(keyword: String(p.split(separator: "/").last ?? ""), pointer: p, reason: "bounds beyond ±10^18 are not supported")
        }
        for (x, p) in try numbers("minimum") { let v = try bound(x, p, upper: false) { $0.ceil }; lo = max(lo ?? v, v) }
        for (x, p) in try numbers("exclusiveMinimum") { let v = try bound(x, p, upper: false) { $0.floor.map { $0 + 1 } }; lo = max(lo ?? v, v) }
        for (x, p) in try numbers("maximum") { let v = try bound(x, p, upper: true) { $0.floor }; hi = min(hi ?? v, v) }
        for (x, p) in try numbers("exclusiveMaximum") { let v = try bound(x, p, upper: true) { $0.ceil.map { $0 - 1 } }; hi = min(hi ?? v, v) }
        return (lo, hi)
    }

    /// String content outside `$align:notPattern` patterns and `$align:notStrings` values.
    private func negatedStrings() throws -> [DFA] {
        let maxStates = c.options.maxTerminalStates
        var out: [DFA] = []
        for (v, p) in values("$align:notPattern") + values("$align:notStrings") {
            guard case .string(let pat) = v else {
                guard case .array(let xs) = v else { throw AlignGrammarError.invalidSchema(pointer: p, message: "expected strings") }
                let lits = xs.compactMap { x -> ByteRegex? in if case .string(let str) = x { return .literal(ObjectCompiler.content(str)) }; return nil }
                if !lits.isEmpty { out.append(try DFA(.star(charRegex)).subtract(try DFA(.alt(lits)), maxStates: maxStates)) }
                continue
            }
            let d = try DFA(RegexLowering.searchLanguage(pat, encoding: .jsonString), maxStates: maxStates)
            out.append(try DFA(.star(charRegex)).subtract(d, maxStates: maxStates))
        }
        return out
    }

    /// Number spellings without exponent that are not integers, and those outside `$align:notNumbers`
    /// (exponent spellings are left out: sound, they are refused although some would be valid).
    private func negatedNumbers(fractionOnly: Bool) throws -> [DFA] {
        let excluded = values("$align:notNumbers").flatMap { v, _ -> [JSONValue] in if case .array(let xs) = v { return xs }; return [] }
        guard fractionOnly || !excluded.isEmpty else { return [] }
        let digits = ByteRegex.repeat(NumberLanguage.digit, min: 0, max: nil)
        let plain = ByteRegex.seq([.opt(NumberLanguage.minus), NumberLanguage.unsigned(0, nil), NumberLanguage.anyFraction])
        var out = [try DFA(plain)]
        if fractionOnly {
            out.append(try DFA(.seq([.opt(NumberLanguage.minus), NumberLanguage.unsigned(0, nil), .literal("."), digits,
                                     NumberLanguage.digitRange(1, 9), digits])))
        }
        let lits = excluded.compactMap { x -> ByteRegex? in if case .number(let n) = x, let v = JSONNumber(n) { return LiteralGrammar.number(v) }; return nil }
        if !lits.isEmpty { out.append(try DFA(plain).subtract(try DFA(.alt(lits)), maxStates: c.options.maxTerminalStates)) }
        return out
    }

    func numberExpr(integerOnly: Bool, fractionOnly: Bool = false) throws -> GrammarExpr {
        let (lo, hi) = try integerBounds()
        if let lo, let hi, lo > hi { return .nothing }
        var extra: [DFA] = []
        var mustBeInteger = integerOnly
        for (m, p) in try numbers("multipleOf") {
            if m.negative || m.isZero { throw AlignGrammarError.invalidSchema(pointer: p, message: "multipleOf must be > 0") }
            if m.isInteger {
                guard let v = m.int64, v <= 100_000 else { try c.unsupported("multipleOf", p, "divisors above 100000"); continue }
                if v > 1 { extra.append(NumberLanguage.multipleOf(Int(v))) }
                mustBeInteger = true
            } else if m.digits == [1] {
                if !integerOnly { extra.append(try DFA(NumberLanguage.decimalPlaces(-m.exponent))) }
            } else {
                try c.unsupported("multipleOf", p, "only integers and powers of ten (0.1, 0.01, …) are compiled")
            }
        }
        extra += try negatedNumbers(fractionOnly: fractionOnly)
        if lo == nil && hi == nil && extra.isEmpty { return mustBeInteger ? try c.anyInteger() : try c.anyNumber() }
        let base = mustBeInteger ? NumberLanguage.integer(lo, hi) : NumberLanguage.number(lo, hi)
        var d = try DFA(base, maxStates: c.options.maxTerminalStates)
        for x in extra { d = try d.intersect(x, maxStates: c.options.maxTerminalStates) }
        return c.b.terminal(d)
    }
}

extension DFA {
    /// self + `"` (same safety argument as `quoted`).
    func closingQuote() -> DFA {
        let n = numStates + 1           // states keep their numbers, final = n - 1
        var t = trans + [Int32](repeating: 0, count: 256)
        var acc = [Bool](repeating: false, count: n)
        for s in 1..<numStates where accepting[s] { t[s * 256 + 0x22] = Int32(n - 1) }
        acc[n - 1] = true
        return DFA(numStates: n, trans: t, accepting: acc).trimmed(minimize: false)
    }

    /// `"` + self + `"`. Safe for canonical JSON string content: no accepting state (a character
    /// boundary) has a transition on a raw `"`, since `"` only occurs escaped.
    func quoted() -> DFA {
        let n = numStates + 2           // new start = 1, old state s → s + 1, final = n - 1
        var t = [Int32](repeating: 0, count: n * 256)
        var acc = [Bool](repeating: false, count: n)
        t[256 + 0x22] = 2
        t.withUnsafeMutableBufferPointer { t in
            trans.withUnsafeBufferPointer { src in
                for s in 1..<numStates {
                    for b in 0..<256 {
                        let x = src[s &* 256 &+ b]
                        if x != 0 { t[(s &+ 1) &* 256 &+ b] = x &+ 1 }
                    }
                    if accepting[s] { t[(s &+ 1) &* 256 &+ 0x22] = Int32(n - 1) }
                }
            }
        }
        acc[n - 1] = true
        // Quoting keeps a minimal automaton minimal (the quotes only frame it) and every state live, so
        // a second Moore pass would find nothing to merge; correctness never depends on minimality.
        return DFA(numStates: n, trans: t, accepting: acc).trimmed(minimize: false)
    }
}
