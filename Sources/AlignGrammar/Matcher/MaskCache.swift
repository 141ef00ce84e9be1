// MaskCache: what a compiled grammar remembers between masks, shared by all its matchers — the lazily
// built lexer automaton and, per vocabulary, the token mask of each lexer state a mask started from.
// That per-state mask holds the context-independent tokens (those whose bytes stay inside the lexer
// without completing a rule) and the list of trie nodes where a rule completes ("boundaries"), whose
// subtrees the parser must decide per step: xgrammar's adaptive token mask cache (arXiv 2411.15100
// §3.1), keyed by lexer state rather than by pushdown-automaton node. Unlike xgrammar it is filled on
// demand, not precomputed, so compile time does not grow with the vocabulary.
import Foundation

/// The tokens a lexer state allows without the parser, and where the parser is needed.
struct RootMask {
    /// Bit per token id (32-bit words, 1 = allowed).
    var words: [UInt32]
    /// Trie nodes (in depth-first order) whose token is allowed but whose subtree needs the parser,
    /// each with the lexer state of its parent node.
    var boundaries: [(node: Int32, from: Int32)]
}

/// Per-grammar cache behind a lock (matchers on several threads may share one compiled grammar).
final class MaskCache: @unchecked Sendable {
    private let lock = NSLock()
    private var lex: LexAutomaton
    private var tables: [(vocabulary: TokenVocabulary, roots: [Int32: RootMask])] = []
    /// Root masks kept per vocabulary; past this, masks are still exact but rebuilt each time.
    let maxRootMasks: Int

    init(_ flat: FlatGrammar, maxRootMasks: Int = 2048) {
        lex = LexAutomaton(flat)
        self.maxRootMasks = maxRootMasks
    }

    /// Runs `body` with exclusive access to the lexer automaton and `vocabulary`'s root masks.
    func withEngine<R>(_ vocabulary: TokenVocabulary, _ body: (inout LexAutomaton, inout [Int32: RootMask]) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        let i: Int
        if let k = tables.firstIndex(where: { $0.vocabulary === vocabulary }) { i = k } else {
            tables.append((vocabulary, [:])); i = tables.count - 1
        }
        return body(&lex, &tables[i].roots)
    }

    /// Lexer states built so far (statistics).
    var lexStateCount: Int { lock.lock(); defer { lock.unlock() }; return lex.stateCount }
}

extension LexAutomaton {
    /// Walks the whole trie from lexer state `root` without the parser: the root mask of `root`.
    ///
    /// While a root with a single pair has not reached an accepting DFA state, its lexer states are
    /// that pair with another DFA state, so the walk steps the terminal's DFA directly ("raw" depths,
    /// `rawAt[d]` > 0) and builds lexer states only where the DFA accepts. Such roots (positions inside
    /// a long bounded string, say) rarely repeat, and interning a lexer state per trie node for them
    /// would cost more than the walk itself.
    mutating func rootMask(_ root: Int32, _ trie: TokenTrie, words: Int, _ lexAt: inout [Int32],
                           _ rawAt: inout [Int32]) -> RootMask {
        var out = RootMask(words: [UInt32](repeating: 0, count: words), boundaries: [])
        let single = components[Int(root)].count == 1 ? components[Int(root)][0] : nil
        lexAt[0] = root
        rawAt[0] = single.map { LexAutomaton.state($0) } ?? 0
        var n = 1
        let count = trie.nodeCount
        out.words.withUnsafeMutableBufferPointer { w in
            while n < count {
                let d = Int(trie.depth[n]), b = trie.byte[n]
                var t: Int32
                rawAt[d] = 0
                if single != nil, rawAt[d - 1] > 0, case let r = g.trans[Int(rawAt[d - 1]) &* 256 &+ Int(b)], !g.accepting[Int(r)] {
                    if r == 0 { n = Int(trie.next[n]); continue }
                    rawAt[d] = r
                    t = 1   // any live state: the lexer state is built only if a child needs it
                } else {
                    if rawAt[d - 1] > 0, let c = single {
                        var p = [LexAutomaton.pack(LexAutomaton.dot(c), rawAt[d - 1], LexAutomaton.tag(c))]
                        lexAt[d - 1] = intern(&p)
                    }
                    t = step(lexAt[d - 1], b)
                }
                if t == LexAutomaton.dead { n = Int(trie.next[n]); continue }
                trie.setTokens(n, in: w, allowed: true)
                if t < LexAutomaton.dead {
                    out.boundaries.append((Int32(n), lexAt[d - 1]))
                    n = Int(trie.next[n])
                } else {
                    if rawAt[d] == 0 { lexAt[d] = t }
                    n += 1
                }
            }
        }
        return out
    }
}
