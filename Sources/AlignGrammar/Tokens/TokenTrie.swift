// TokenTrie: every token's byte string in one prefix tree, laid out in depth-first order so a walk is
// a linear scan that can skip a whole subtree with one jump (llguidance toktrie/README.md: node =
// byte + subtree end; "if the parser rejects the byte, skip p += subtree_size"). Tokens with an empty
// byte string (special tokens) are not in the trie.

/// A depth-first-ordered prefix tree of token byte strings.
public struct TokenTrie: Sendable {
    /// Per node, what a walk reads, in one word: byte | depth << 8 | has-tokens << 31 | subtree end << 32
    /// (node 0 is the root: no byte, depth 0). The walks jump from sibling to sibling a subtree apart, so
    /// each visit is a cache miss per array it reads; one word per node makes it one miss, where separate
    /// byte, depth, end and token-count arrays made four.
    var packed: [UInt64] = []
    /// Parent node (the root is its own parent).
    var parent: [Int32] = [0]
    /// The deepest node's depth (the longest token's length).
    public private(set) var maxDepth = 0
    /// Tokens ending at the node: `tokenIds[tokFirst[n] ..< tokFirst[n] + tokCount[n]]`.
    var tokFirst: [Int32] = [0]
    var tokCount: [Int32] = [0]
    var tokenIds: [Int32] = []
    /// The root's child for each first byte (0 = none). A walk checks a first byte against the lexer
    /// before touching the child: the root's children lie a whole subtree apart, so visiting each of
    /// them costs a cache miss (about 100 ns on this machine), and a position that allows a handful of
    /// first bytes would pay for all ~200 of them.
    var rootChild = [Int32](repeating: 0, count: 256)
    /// Each node's children in byte order: `kidByte[i]`, `kidNode[i]` for i in `kidStart[n] ..< kidStart[n + 1]`;
    /// `kidNode` holds the child's id, with bit 31 set when tokens end there (`kidHasTokens`) and bit 30
    /// when it has children of its own (`kidHasKids`), so a leaf's index entries are never read.
    /// A walk reads a node's child bytes from one or two cache lines and steps the lexer on them before
    /// touching a child: in depth-first order siblings lie a subtree apart, so visiting every child to
    /// learn its byte cost a cache miss each (~140 ns per node measured in the root walk at 128k), and
    /// below a literal's next byte all but one child are dead.
    var kidStart: [Int32] = [0, 0]
    var kidByte: [UInt8] = []
    var kidNode: [Int32] = []

    /// The longest token the packed depth field holds (`TokenVocabulary` refuses longer ones).
    static let maxTokenBytes = 0x7F_FFFF
    /// The most bytes all tokens together may have: a bound on the node count that the child index's
    /// 30-bit node ids hold.
    static let maxTotalBytes = 0x3FFF_FFFE

    @inline(__always) static func byte(_ w: UInt64) -> Int { Int(w & 0xFF) }
    @inline(__always) static func depth(_ w: UInt64) -> Int { Int((w >> 8) & 0x7F_FFFF) }
    @inline(__always) static func hasTokens(_ w: UInt64) -> Bool { w & (1 << 31) != 0 }
    @inline(__always) static func next(_ w: UInt64) -> Int { Int(w >> 32) }

    /// Node `n`'s byte, depth and subtree end (index just past its subtree).
    func byte(_ n: Int) -> UInt8 { UInt8(TokenTrie.byte(packed[n])) }
    func depth(_ n: Int) -> Int { TokenTrie.depth(packed[n]) }
    func next(_ n: Int) -> Int { TokenTrie.next(packed[n]) }

    /// Number of nodes including the root.
    public var nodeCount: Int { packed.count }

    /// Builds the trie of `tokens` (token id → bytes, none longer than `maxTokenBytes`).
    public init(tokens: [[UInt8]]) {
        let order = tokens.indices.filter { !tokens[$0].isEmpty }.sorted {
            tokens[$0].lexicographicallyPrecedes(tokens[$1])
        }
        var byte: [UInt8] = [0], depth: [Int] = [0], next: [Int] = [0]
        var path: [Int] = [0]          // open nodes, root first
        var pathBytes: [UInt8] = []
        for id in order {
            let t = tokens[id]
            var common = 0
            while common < pathBytes.count, common < t.count, pathBytes[common] == t[common] { common += 1 }
            while pathBytes.count > common { next[path.removeLast()] = byte.count; pathBytes.removeLast() }
            for b in t[common...] {
                byte.append(b); depth.append(path.count); next.append(0)
                parent.append(Int32(path[path.count - 1])); maxDepth = max(maxDepth, path.count)
                tokFirst.append(Int32(tokenIds.count)); tokCount.append(0)
                path.append(byte.count - 1); pathBytes.append(b)
            }
            let node = path[path.count - 1]
            if tokCount[node] == 0 { tokFirst[node] = Int32(tokenIds.count) }
            tokenIds.append(Int32(id)); tokCount[node] += 1
        }
        while let n = path.popLast() { next[n] = byte.count }
        for n in 1..<byte.count where depth[n] == 1 { rootChild[Int(byte[n])] = Int32(n) }
        indexChildren(byte)
        packed = (0..<byte.count).map { n in
            UInt64(byte[n]) | UInt64(depth[n]) << 8 | (tokCount[n] > 0 ? 1 << 31 : 0) | UInt64(UInt32(next[n])) << 32
        }
    }

    /// The child index as buffer pointers, for a walk's inner loop.
    struct Kids {
        let start: UnsafeBufferPointer<Int32>
        let byte: UnsafeBufferPointer<UInt8>
        let node: UnsafeBufferPointer<Int32>
    }

    /// A `kidNode` entry's node id, and whether tokens end at that node.
    @inline(__always) static func kidId(_ k: Int32) -> Int { Int(k & 0x3FFF_FFFF) }
    @inline(__always) static func kidHasKids(_ k: Int32) -> Bool { k & 1 << 30 != 0 }
    @inline(__always) static func kidHasTokens(_ k: Int32) -> Bool { k < 0 }

    /// Runs `body` with the child index.
    func withKids<R>(_ body: (Kids) -> R) -> R {
        kidStart.withUnsafeBufferPointer { s in
            kidByte.withUnsafeBufferPointer { b in kidNode.withUnsafeBufferPointer { n in body(Kids(start: s, byte: b, node: n)) } }
        }
    }

    /// Fills `kidStart`, `kidByte`, `kidNode` from `parent` (a counting sort: depth-first order lists
    /// each node's children in increasing node order, which is their byte order).
    private mutating func indexChildren(_ byte: [UInt8]) {
        let count = byte.count
        var start = [Int32](repeating: 0, count: count + 1)
        for n in 1..<count { start[Int(parent[n]) + 1] += 1 }
        for n in 0..<count { start[n + 1] += start[n] }
        var fill = start
        kidByte = [UInt8](repeating: 0, count: count - 1)
        kidNode = [Int32](repeating: 0, count: count - 1)
        for n in 1..<count {
            let p = Int(parent[n]), i = Int(fill[p])
            let flags = (tokCount[n] > 0 ? Int32.min : 0) | (start[n + 1] > start[n] ? 1 << 30 : 0)
            kidByte[i] = byte[n]; kidNode[i] = Int32(n) | flags; fill[p] += 1
        }
        kidStart = start
    }
}

/// The model's vocabulary as the grammar engine sees it: exact bytes per token id, the logit
/// dimension (≥ vocabulary size; padding ids are never allowed) and the end-of-sequence ids.
public final class TokenVocabulary: @unchecked Sendable {
    /// Token id → exact bytes (empty for special tokens).
    public let tokens: [[UInt8]]
    /// The size of the model's logit vector; masks have `(logitDimension + 31) / 32` words.
    public let logitDimension: Int
    /// Ids allowed exactly when the grammar is complete.
    public let eosTokenIds: [Int]
    /// The prefix tree over `tokens`.
    public let trie: TokenTrie
    /// The string-body slice and the trie of the other tokens (the mask walk's slicer).
    public let slices: TokenSlices

    /// Validates and indexes a vocabulary.
    public init(tokens: [[UInt8]], logitDimension: Int? = nil, eosTokenIds: [Int]) throws {
        let dim = logitDimension ?? tokens.count
        if dim < tokens.count {
            throw AlignGrammarError.invalidVocabulary(message: "logit dimension \(dim) < vocabulary size \(tokens.count)")
        }
        for e in eosTokenIds where e < 0 || e >= dim {
            throw AlignGrammarError.invalidVocabulary(message: "EOS id \(e) outside 0..<\(dim)")
        }
        if let id = tokens.indices.first(where: { tokens[$0].count > TokenTrie.maxTokenBytes }) {
            throw AlignGrammarError.invalidVocabulary(
                message: "token \(id) has \(tokens[id].count) bytes, more than the \(TokenTrie.maxTokenBytes) a trie node's depth holds")
        }
        // Trie node ids share an Int32 with two flags in the child index (`TokenTrie.kidNode`).
        let totalBytes = tokens.reduce(0) { $0 + $1.count }
        if totalBytes > TokenTrie.maxTotalBytes {
            throw AlignGrammarError.invalidVocabulary(
                message: "the tokens have \(totalBytes) bytes in all, more than the \(TokenTrie.maxTotalBytes) a trie indexes")
        }
        self.tokens = tokens
        self.logitDimension = dim
        self.eosTokenIds = eosTokenIds
        trie = TokenTrie(tokens: tokens)
        slices = TokenSlices(tokens: tokens)
    }

    /// Words in a mask.
    public var maskWords: Int { (logitDimension + 31) / 32 }
}
