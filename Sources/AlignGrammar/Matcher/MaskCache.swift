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
    /// Whether `boundaries` are nodes of the slices' rest trie (a string-body root) rather than the full trie.
    var sliced = false
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
    /// Pairs a root may have for the raw walk of `rootMask`.
    static let rawWidth = 8

    /// Walks the whole trie from lexer state `root` without the parser: the root mask of `root`.
    ///
    /// While no DFA of the root's pairs (at most `rawWidth`) has reached an accepting state, the lexer
    /// state is just those pairs with other DFA states, so the walk steps the DFAs directly ("raw"
    /// depths, `raw[d * rawWidth + i]`) and interns a lexer state only where a DFA accepts. Roots with
    /// counting states (positions inside a bounded string or number) rarely repeat, and interning a
    /// lexer state per trie node for them would cost more than the walk itself.
    mutating func rootMask(_ root: Int32, _ vocabulary: TokenVocabulary, words: Int, _ sc: inout WalkScratch) -> RootMask {
        let slices = vocabulary.slices
        if let n = bodyDepth(root, cap: slices.maxChars) {
            let bits = Array(slices.upTo[n * slices.words ..< (n + 1) * slices.words])
            return rootMask(root, slices.rest, RootMask(words: bits, boundaries: [], sliced: true), &sc)
        }
        return rootMask(root, vocabulary.trie, RootMask(words: [UInt32](repeating: 0, count: words), boundaries: []), &sc)
    }

    /// The walk of `rootMask` over `trie`, adding to `out`.
    private mutating func rootMask(_ root: Int32, _ trie: TokenTrie, _ start: RootMask, _ sc: inout WalkScratch) -> RootMask {
        var out = start
        let comps = components[Int(root)]
        let k = comps.count, w = LexAutomaton.rawWidth
        sc.lex[0] = root
        sc.rawLive[0] = k <= w
        if k <= w { for i in 0..<k { sc.raw[i] = LexAutomaton.state(comps[i]) } }
        var n = 1
        let count = trie.nodeCount
        out.words.withUnsafeMutableBufferPointer { words in
            while n < count {
                let d = Int(trie.depth[n]), b = trie.byte[n]
                sc.rawLive[d] = false
                var t: Int32 = 1
                var accepted = !sc.rawLive[d - 1]
                if sc.rawLive[d - 1] {
                    var alive = false
                    for i in 0..<k {
                        let s = sc.raw[(d - 1) * w + i]
                        let r = s == 0 ? 0 : g.trans[Int(s) &* 256 &+ Int(b)]
                        sc.raw[d * w + i] = r
                        if r != 0 { alive = true; if g.accepting[Int(r)] { accepted = true } }
                    }
                    if !alive { n = Int(trie.next[n]); continue }
                    if accepted { sc.lex[d - 1] = internRaw(comps, d - 1, &sc) } else { sc.rawLive[d] = true }
                }
                if accepted { t = step(sc.lex[d - 1], b) }
                if t == LexAutomaton.dead { n = Int(trie.next[n]); continue }
                trie.setTokens(n, in: words, allowed: true)
                if t < LexAutomaton.dead {
                    out.boundaries.append((Int32(n), sc.lex[d - 1]))
                    n = Int(trie.next[n])
                } else {
                    if !sc.rawLive[d] { sc.lex[d] = t }
                    n += 1
                }
            }
        }
        return out
    }

    /// The lexer state of the raw DFA states at depth `d` (the root's pairs with those states).
    private mutating func internRaw(_ comps: [UInt64], _ d: Int, _ sc: inout WalkScratch) -> Int32 {
        sc.pairs.removeAll(keepingCapacity: true)
        for (i, c) in comps.enumerated() where sc.raw[d * LexAutomaton.rawWidth + i] != 0 {
            sc.pairs.append(LexAutomaton.pack(LexAutomaton.dot(c), sc.raw[d * LexAutomaton.rawWidth + i], LexAutomaton.tag(c)))
        }
        return intern(&sc.pairs)
    }
}
