// LarkCompiler: a parsed Lark file → Grammar. Terminal definitions are resolved into one byte regex each
// (inlining the terminals they mention; recursion is an error), every lexeme of a rule becomes one DFA
// terminal, rules become grammar rules (built on demand from `start`, as llguidance compiles only what
// `start` reaches), and `%json {…}` schemas are compiled by JSONSchemaGrammar and spliced in.
//
// `%ignore`: llguidance lets ignored text sit between two lexemes only. We fold it into the lexemes:
// in "rest" position a lexeme is the terminal `ignore* L`; the first lexeme of the whole output is plain
// `L`. So every rule gets a second, "first" variant R⁺ (its non-empty derivations, first lexeme plain):
//   (x1 … xn)⁺ = ∪_i [x1…x_{i−1} nullable] x_i⁺ x_{i+1} … x_n,   (x{m,n})⁺ = x⁺ x{m−1,n−1} (x{0,n−1} if x
// is nullable), and start' = start⁺ | ε (if start is nullable). A `%json` value is entered without
// ignored text before it (llguidance switches to the JSON lexeme class there), so it is the same in
// both positions.

final class LarkCompiler {
    let file: LarkFile
    let options: LarkOptions
    let b = GrammarBuilder()
    private(set) var warnings: [String] = []
    private var terminalRegex: [String: ByteRegex] = [:]
    private var resolving: Set<String> = []
    private var ignore: ByteRegex?
    /// Lexemes by key: (plain terminal, ignore-prefixed terminal).
    private var lexemes: [String: (plain: GrammarExpr, rest: GrammarExpr)] = [:]
    private var restRules: [String: Int] = [:]
    private var firstRules: [String: Int] = [:]
    var nullableRules: [String: Bool]?
    var jsonRules: [String: Int] = [:]
    var openRules: [String: Int] = [:]
    var growRules: [String: Bool]?
    var leftGrowth: [String: Bool]?

    init(file: LarkFile, options: LarkOptions) {
        self.file = file; self.options = options
        b.maxTerminalStates = options.maxTerminalStates
    }

    func run() throws -> Grammar {
        guard let start = file.rules[options.start] else {
            throw AlignGrammarError.grammarSyntax(line: 1, column: 1, message: "no '\(options.start)' rule")
        }
        let unit = ByteRegex.alt(try file.ignores.map { try regex($0) })
        if !file.ignores.isEmpty { ignore = .star(unit) }
        let top: Int
        if ignore == nil {
            top = try restRule(start.name)
        } else {
            top = b.newRule("start'")
            let name = LarkExpr.name(start.name, start.place)
            let trailing = GrammarExpr.seq([try firstOpen(name), try b.terminal(.repeat(unit, min: 1, max: nil))])
            b.define(top, .alt([try first(name), try nullable(start.body) ? .empty : .nothing, trailing]))
        }
        return try b.build(start: top)
    }

    // MARK: terminals (regex context)

    /// The byte regex of an expression inside a terminal definition (or `%ignore`).
    func regex(_ e: LarkExpr) throws -> ByteRegex {
        switch e {
        case .empty: return .empty
        case .seq(let xs): return .seq(try xs.map { try regex($0) })
        case .alt(let xs): return .alt(try xs.map { try regex($0) })
        case let .repeat(x, lo, hi): return .repeat(try regex(x), min: lo, max: hi)
        case let .string(s, ci): return LarkRegex.literal(s, caseInsensitive: ci)
        case let .regex(body, flags, place): return try LarkRegex.regex(body, flags: flags, at: place)
        case let .range(lo, hi, place): return try range(lo, hi, place)
        case let .name(n, place):
            guard file.terminals[n] != nil else {
                throw fail(place, file.rules[n] != nil ? "rule '\(n)' cannot be used inside a terminal" : "undefined terminal '\(n)'")
            }
            return try terminal(n, place)
        case .json(_, let place): throw fail(place, "%json cannot be used inside a terminal")
        }
    }

    private func terminal(_ n: String, _ place: LarkPlace) throws -> ByteRegex {
        if let r = terminalRegex[n] { return r }
        guard let def = file.terminals[n] else { throw fail(place, "undefined terminal '\(n)'") }
        if resolving.contains(n) { throw fail(place, "terminal '\(n)' is recursive (terminals must be regular)") }
        resolving.insert(n)
        let r = try regex(def.body)
        resolving.remove(n)
        terminalRegex[n] = r
        return r
    }

    private func range(_ lo: String, _ hi: String, _ place: LarkPlace) throws -> ByteRegex {
        let a = Array(lo.unicodeScalars), z = Array(hi.unicodeScalars)
        guard a.count == 1, z.count == 1 else { throw fail(place, "a range \"a\"..\"z\" needs single characters") }
        guard a[0].value <= z[0].value else { throw fail(place, "range \"\(lo)\"..\"\(hi)\" is out of order") }
        return UTF8Ranges.regex([a[0].value...z[0].value])
    }

    func fail(_ place: LarkPlace, _ m: String) -> AlignGrammarError {
        .grammarSyntax(line: place.line, column: place.column, message: m)
    }

    // MARK: lexemes

    /// The two terminals of a lexeme: plain, and with ignored text allowed before it.
    func lexeme(_ key: String, _ make: () throws -> ByteRegex) throws -> (plain: GrammarExpr, rest: GrammarExpr) {
        if let l = lexemes[key] { return l }
        let r = try make()
        let plain = try b.terminal(r)
        let rest = try ignore.map { try b.terminal(.seq([$0, r])) } ?? plain
        lexemes[key] = (plain, rest)
        return (plain, rest)
    }

    /// The lexeme an atom of a rule stands for, or nil if it is not a lexeme.
    func lexemeOf(_ e: LarkExpr) throws -> (plain: GrammarExpr, rest: GrammarExpr)? {
        switch e {
        case let .string(s, ci): return try lexeme("s\(ci ? "i" : ""):\(s)") { LarkRegex.literal(s, caseInsensitive: ci) }
        case let .regex(body, flags, _): return try lexeme("r\(flags):\(body)") { try regex(e) }
        case let .range(lo, hi, _): return try lexeme("a:\(lo)..\(hi)") { try regex(e) }
        case let .name(n, place) where file.rules[n] == nil:
            return try lexeme("t:\(n)") { try terminal(n, place) }
        default: return nil
        }
    }

    func isAcceptingEmpty(_ t: GrammarExpr) -> Bool {
        switch t {
        case .terminal(let id): return b.terminals[id].acceptsEmpty
        case .empty: return true
        default: return false
        }
    }

    // MARK: rules

    func restRule(_ n: String) throws -> Int {
        if let id = restRules[n] { return id }
        let id = b.newRule(n)
        restRules[n] = id
        b.define(id, try rest(file.rules[n]?.body ?? .empty))
        return id
    }

    func firstRule(_ n: String) throws -> Int {
        if let id = firstRules[n] { return id }
        let id = b.newRule(n + "+")
        firstRules[n] = id
        b.define(id, try first(file.rules[n]?.body ?? .empty))
        return id
    }

    /// Records warnings of an embedded schema.
    func addWarnings(_ w: [String]) { warnings += w }
}
