// DFAMemo: a process-wide memo of compiled automata, so the terminals every JSON grammar shares (the
// canonical string, numbers, whitespace runs, length-bounded strings, formats) are determinized and
// minimized once per process rather than once per schema. Keys are the full input (the regex and its
// state limit, or both operands and the operation of a product), so a hit returns exactly what the
// construction would have built; failures (`tooLarge`) are not stored and are rebuilt (and rethrown).
// xgrammar's GrammarCompiler keeps a comparable cache of compiled grammars (xgrammar/compiler.h);
// this one works one level lower, per terminal, so different schemas share their common terminals.
//
// Bounded by the total number of DFA states held (each state is a 1 KiB row): past the budget the
// memo is emptied and refilled, which keeps memory bounded and behaviour deterministic.
import Foundation

final class DFAMemo: @unchecked Sendable {
    /// The process-wide memo.
    static let shared = DFAMemo(stateBudget: 40_000, maxEntryStates: 4_000)

    enum Key: Hashable {
        case regex(ByteRegex, maxStates: Int)
        case product(DFA, DFA, op: UInt8, maxStates: Int)
    }

    private let lock = NSLock()
    private var table: [Key: DFA] = [:]
    private var heldStates = 0
    let stateBudget: Int
    /// Automata larger than this are not kept (they are rare and would crowd out the common ones).
    let maxEntryStates: Int

    init(stateBudget: Int, maxEntryStates: Int) {
        self.stateBudget = stateBudget; self.maxEntryStates = maxEntryStates
    }

    /// The stored automaton for `key`, or the one `build` returns (stored if small enough).
    func value(_ key: Key, _ build: () throws -> DFA) rethrows -> DFA {
        lock.lock()
        if let d = table[key] { lock.unlock(); return d }
        lock.unlock()
        let d = try build()
        if d.numStates > maxEntryStates { return d }
        lock.lock()
        defer { lock.unlock() }
        if heldStates + d.numStates > stateBudget { table.removeAll(); heldStates = 0 }
        if table.updateValue(d, forKey: key) == nil { heldStates += d.numStates }
        return d
    }

    /// Number of automata held (statistics, tests).
    var count: Int { lock.lock(); defer { lock.unlock() }; return table.count }

    /// Drops every stored automaton (tests that measure construction).
    func removeAll() { lock.lock(); table.removeAll(); heldStates = 0; lock.unlock() }
}

extension DFA: Hashable {
    /// Equal when the state count, transitions and accepting flags are equal (same numbering).
    public static func == (a: DFA, b: DFA) -> Bool {
        a.numStates == b.numStates && a.accepting == b.accepting && a.trans == b.trans
    }

    public func hash(into h: inout Hasher) {
        h.combine(numStates)
        h.combine(accepting)
        // Transitions are hashed through a cheap fold; equality still compares them in full.
        var x: UInt64 = 0xcbf2_9ce4_8422_2325
        for t in trans { x = (x ^ UInt64(UInt32(bitPattern: t))) &* 0x100_0000_01b3 }
        h.combine(x)
    }
}
