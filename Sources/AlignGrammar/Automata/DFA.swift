// DFA: a complete deterministic automaton over bytes with state 0 = dead and state 1 = start. Every
// state that cannot reach an accepting state is merged into the dead state ("trimmed"), so a non-dead
// state always means "this prefix can still be completed" — the property the token mask relies on.
// Built by the subset construction from NFA.swift, then minimized (Moore's partition refinement).

/// A trimmed, minimized deterministic byte automaton.
public struct DFA: Sendable {
    /// The number of states, including the dead state 0.
    public private(set) var numStates: Int
    /// Transition table: `trans[state * 256 + byte]` is the next state (0 = dead).
    public private(set) var trans: [Int32]
    /// Whether each state accepts.
    public private(set) var accepting: [Bool]

    /// The dead state.
    public static let dead: Int32 = 0
    /// The start state.
    public static let start: Int32 = 1

    init(numStates: Int, trans: [Int32], accepting: [Bool]) {
        self.numStates = numStates; self.trans = trans; self.accepting = accepting
    }

    /// Compiles a byte regex. Throws `tooLarge` past `maxStates` NFA or DFA states.
    public init(_ regex: ByteRegex, maxStates: Int = 50_000) throws {
        let nfa = try NFA(regex, maxStates: maxStates * 4)
        var sc = SubsetConstruction(nfa: nfa, maxStates: maxStates)
        self = try sc.run().trimmed()
    }

    /// The automaton of exactly one string.
    public static func literal(_ bytes: [UInt8]) -> DFA {
        let n = bytes.count + 2
        var trans = [Int32](repeating: 0, count: n * 256)
        for (i, b) in bytes.enumerated() { trans[(i + 1) * 256 + Int(b)] = Int32(i + 2) }
        var acc = [Bool](repeating: false, count: n)
        acc[n - 1] = true
        return DFA(numStates: n, trans: trans, accepting: acc)
    }

    /// Whether the language is empty.
    public var isEmptyLanguage: Bool {
        !accepting[1] && (0..<256).allSatisfy { trans[256 + $0] == 0 }
    }

    /// Whether the empty string is accepted.
    public var acceptsEmpty: Bool { accepting[1] }

    /// The state after `bytes` from the start (0 if dead).
    public func run<S: Sequence>(_ bytes: S) -> Int32 where S.Element == UInt8 {
        var s = DFA.start
        for b in bytes {
            s = trans[Int(s) * 256 + Int(b)]
            if s == 0 { return 0 }
        }
        return s
    }

    /// Whether `bytes` is in the language.
    public func matches<S: Sequence>(_ bytes: S) -> Bool where S.Element == UInt8 {
        accepting[Int(run(bytes))]
    }
}

/// Subset construction over an NFA.
struct SubsetConstruction {
    let nfa: NFA
    let maxStates: Int
    private var mark: [Int] = []
    private var stamp = 0

    init(nfa: NFA, maxStates: Int) {
        self.nfa = nfa; self.maxStates = maxStates
        mark = [Int](repeating: 0, count: nfa.edges.count)
    }

    private mutating func closure(_ seeds: [Int32]) -> [Int32] {
        stamp += 1
        var stack = seeds, out: [Int32] = []
        while let s = stack.popLast() {
            if mark[Int(s)] == stamp { continue }
            mark[Int(s)] = stamp
            out.append(s)
            stack.append(contentsOf: nfa.eps[Int(s)])
        }
        return out.sorted()
    }

    mutating func run() throws -> DFA {
        var ids: [[Int32]: Int32] = [[]: 0]
        var sets: [[Int32]] = [[], closure([nfa.start])]
        ids[sets[1]] = 1
        var trans = [Int32](repeating: 0, count: 512)
        var acc = [false, sets[1].contains(nfa.accept)]
        var i = 1
        var buckets = [[Int32]](repeating: [], count: 256)
        while i < sets.count {
            for b in 0..<256 { buckets[b].removeAll(keepingCapacity: true) }
            for s in sets[i] {
                for (set, t) in nfa.edges[Int(s)] {
                    for b in set.members { buckets[Int(b)].append(t) }
                }
            }
            var seen: [[Int32]: Int32] = [:]
            for b in 0..<256 where !buckets[b].isEmpty {
                let key = buckets[b]
                if let id = seen[key] { trans[i * 256 + b] = id; continue }
                let c = closure(key)
                let id: Int32
                if let old = ids[c] { id = old } else {
                    if sets.count >= maxStates { throw AlignGrammarError.tooLarge(what: "DFA states", limit: maxStates) }
                    id = Int32(sets.count)
                    ids[c] = id; sets.append(c)
                    trans.append(contentsOf: repeatElement(0, count: 256))
                    acc.append(c.contains(nfa.accept))
                }
                seen[key] = id
                trans[i * 256 + b] = id
            }
            i += 1
        }
        return DFA(numStates: sets.count, trans: trans, accepting: acc)
    }
}
