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
    /// Built once per process per (regex, limit): see `DFAMemo`.
    public init(_ regex: ByteRegex, maxStates: Int = 50_000) throws {
        self = try DFAMemo.shared.value(.regex(regex, maxStates: maxStates)) {
            let nfa = try NFA(regex, maxStates: maxStates * 4)
            var sc = SubsetConstruction(nfa: nfa, maxStates: maxStates)
            return try sc.run().trimmed()
        }
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

    /// Byte classes: bytes that every edge set treats alike (so one representative per class suffices).
    private func byteClasses() -> (classOf: [Int], reps: [Int]) {
        var sig = [[Int]](repeating: [], count: 256)
        var seen = Set<ByteSet>()
        var k = 0
        for es in nfa.edges { for (set, _) in es where seen.insert(set).inserted {
            for b in 0..<256 where set.contains(UInt8(b)) { sig[b].append(k) }
            k += 1
        } }
        var ids: [[Int]: Int] = [:]
        var classOf = [Int](repeating: 0, count: 256), reps: [Int] = []
        for b in 0..<256 {
            if let c = ids[sig[b]] { classOf[b] = c } else { ids[sig[b]] = reps.count; classOf[b] = reps.count; reps.append(b) }
        }
        return (classOf, reps)
    }

    mutating func run() throws -> DFA {
        let (classOf, reps) = byteClasses()
        var ids: [[Int32]: Int32] = [[]: 0]
        var sets: [[Int32]] = [[], closure([nfa.start])]
        ids[sets[1]] = 1
        var trans = [Int32](repeating: 0, count: 512)
        var acc = [false, sets[1].contains(nfa.accept)]
        var i = 1
        var buckets = [[Int32]](repeating: [], count: reps.count)
        var target = [Int32](repeating: 0, count: reps.count)
        while i < sets.count {
            for c in 0..<reps.count { buckets[c].removeAll(keepingCapacity: true) }
            for s in sets[i] {
                for (set, t) in nfa.edges[Int(s)] {
                    for (c, r) in reps.enumerated() where set.contains(UInt8(r)) { buckets[c].append(t) }
                }
            }
            for c in 0..<reps.count {
                if buckets[c].isEmpty { target[c] = 0; continue }
                let cl = closure(buckets[c])
                if let old = ids[cl] { target[c] = old; continue }
                if sets.count >= maxStates { throw AlignGrammarError.tooLarge(what: "DFA states", limit: maxStates) }
                let id = Int32(sets.count)
                ids[cl] = id; sets.append(cl)
                trans.append(contentsOf: repeatElement(0, count: 256))
                acc.append(cl.contains(nfa.accept))
                target[c] = id
            }
            for b in 0..<256 { trans[i * 256 + b] = target[classOf[b]] }
            i += 1
        }
        return DFA(numStates: sets.count, trans: trans, accepting: acc)
    }
}
