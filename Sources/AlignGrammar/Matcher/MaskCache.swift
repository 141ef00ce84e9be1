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
    /// Whether that rest trie is the one without the cut-escape tokens (`TokenSlices.restNoCut`).
    var noCut = false

    /// The trie `boundaries` index.
    func trie(_ vocabulary: TokenVocabulary) -> TokenTrie {
        sliced ? (noCut ? vocabulary.slices.restNoCut : vocabulary.slices.rest) : vocabulary.trie
    }
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
