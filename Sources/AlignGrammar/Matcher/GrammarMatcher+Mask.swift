// GrammarMatcher+Mask: the allowed-token bitmask. Layout as in xgrammar/llguidance: 32-bit words,
// bit (id % 32) of word (id / 32), 1 = allowed, sized by the logit dimension. The walk is llguidance's
// toktrie walk (toktrie/README.md: a rejected byte skips the node's whole subtree) with the lexer/parser
// split: trie bytes step the LexAutomaton (one table lookup per node), and the Earley chart is touched
// only where a rule completes. The part of the mask that needs no parser is cached per lexer state
// (MaskCache), so a step costs one copy of that mask plus the parser-decided subtrees. No allocation
// on this path once the scratch buffers and the chart have grown.

/// Per-depth scratch of the mask walk: the path bytes, the lexer state after each depth, the bytes
/// currently scanned into the parser's chart, and a buffer of item pairs.
struct WalkScratch {
    var path: [UInt8] = []
    var lex: [Int32] = []
    /// Per depth: the trie node on the current path, and the key depth of the lexer state there
    /// (its pair tags name origin lists at or before that depth; see `boundary`).
    var node: [Int32] = []
    var keyDepth: [Int32] = []
    /// The root walk's raw pairs (`LexAutomaton+RootWalk`): (pair index, DFA state) entries, and
    /// per depth (list start, list end, lexer state, raw flag, child cursor, child end).
    var rawBuf: [Int32] = []
    var rawDepth: [Int32] = []
    var chart: [UInt8] = []
    var pairs: [UInt64] = []
    /// Per mask: (lexer state << 32 | key node << 8 | byte) of a tagged boundary → lexer state after it.
    var memo: [UInt64: Int32] = [:]
    /// Per mask: origin lists → pair tags (see `LexAutomaton.intern(items:)`), and a buffer for them.
    var origins: [[Int32]: UInt64] = [:]
    var originBuf: [Int32] = []
    /// The chart length when the mask walk started.
    var rootPos = 0
    /// The matcher's last few whole masks (`MaskMemo`).
    var maskMemo = MaskMemo()

    mutating func reserve(depth: Int) {
        if path.count <= depth {
            path = [UInt8](repeating: 0, count: depth + 1)
            lex = [Int32](repeating: 0, count: depth + 1)
            node = [Int32](repeating: 0, count: depth + 1)
            keyDepth = [Int32](repeating: 0, count: depth + 1)
        }
    }

    /// Makes the root walk's buffers hold `entries` raw entries and `depth + 1` depths.
    mutating func reserveRaw(_ entries: Int, depth: Int) {
        if rawBuf.count < 2 * entries { rawBuf = [Int32](repeating: 0, count: 2 * entries) }
        if rawDepth.count < 6 * (depth + 1) { rawDepth = [Int32](repeating: 0, count: 6 * (depth + 1)) }
    }
}

extension EarleyParser {
    /// The lexer state of the current set.
    /// Items whose origins are all at most `rootPos + keyDepth` get tags (see `LexAutomaton.intern(items:)`).
    mutating func lexState(_ lex: inout LexAutomaton, _ sc: inout WalkScratch, keyDepth: Int = 0) -> Int32 {
        terminalItems(into: &sc.pairs)
        return lex.intern(items: &sc.pairs, rootPos: sc.rootPos + keyDepth, origins: &sc.origins, &sc.originBuf)
    }

    /// The lexer state after a boundary whose completions need the chart within the walk: items
    /// are tagged up to the deepest origin before the current position, so later completions of
    /// them (e.g. each further digit of ` 123` after the space predicted the number) are memoized
    /// under that depth's trie node. Sets `sc.lex[d]` and `sc.keyDepth[d]`.
    mutating func anchoredLexState(_ d: Int, _ lex: inout LexAutomaton, _ sc: inout WalkScratch) {
        terminalItems(into: &sc.pairs)
        var deepest = sc.rootPos
        for c in sc.pairs {
            let o = Int(LexAutomaton.tag(c))
            if o < length && o > deepest { deepest = o }
        }
        sc.keyDepth[d] = Int32(deepest - sc.rootPos)
        sc.lex[d] = lex.intern(items: &sc.pairs, rootPos: deepest, origins: &sc.origins, &sc.originBuf)
    }

    /// Makes the chart hold exactly `sc.path[0 ..< depth]` beyond `base` (popping to the common prefix
    /// with what is scanned, then scanning the rest). Returns false if the parser refused a byte.
    mutating func materialize(_ depth: Int, _ sc: inout WalkScratch) -> Bool {
        var common = 0
        let have = sc.chart.count
        while common < have, common < depth, sc.chart[common] == sc.path[common] { common += 1 }
        if have > common { pop(have - common); sc.chart.removeLast(have - common) }
        for k in common..<depth {
            if !scan(sc.path[k]) { return false }
            sc.chart.append(sc.path[k])
        }
        return true
    }

    /// Writes into `mask[0..<words]` the tokens allowed after the current input: the cached root mask of the
    /// current lexer state, then, for each boundary node, the parser-decided part of its subtree.
    /// A mask provably equal to one of the matcher's last few is copied instead (`MaskMemo`).
    /// Returns the number of bytes refused by the item limit (their tokens are left out).
    mutating func fillMask(_ lex: inout LexAutomaton, _ roots: inout [Int32: RootMask], maxRoots: Int,
                           _ vocabulary: TokenVocabulary, _ mask: UnsafeMutableBufferPointer<UInt32>, words: Int,
                           _ sc: inout WalkScratch) -> Int {
        sc.reserve(depth: vocabulary.trie.maxDepth)
        sc.chart.removeAll(keepingCapacity: true)
        sc.memo.removeAll(keepingCapacity: true)
        sc.origins.removeAll(keepingCapacity: true)
        sc.rootPos = length
        sc.node[0] = 0
        sc.keyDepth[0] = 0
        let root = lexState(&lex, &sc)
        let largest = sc.maskMemo.makeKey(sc.origins)
        let memoID = largest >= 0 && largest < length ? setId(at: largest) : nil
        if let id = memoID, let hits = sc.maskMemo.copy(root: root, setId: id, into: mask, count: words) { return hits }
        let entry: RootMask
        if let e = roots[root] { entry = e } else {
            entry = lex.rootMask(root, vocabulary, words: words, &sc)
            if roots.count < maxRoots { roots[root] = entry }
        }
        entry.words.withUnsafeBufferPointer { w in
            _ = UnsafeMutableBufferPointer(rebasing: mask[0..<words]).update(fromContentsOf: w[0..<words])
        }
        let limitHits = fillBoundaries(entry, &lex, vocabulary, mask, &sc)
        if let id = memoID { sc.maskMemo.store(root: root, setId: id, mask, count: words, limitHits: limitHits) }
        return limitHits
    }

    /// The parser-decided part of a mask: each boundary node of `entry`, and the subtree below it.
    mutating func fillBoundaries(_ entry: RootMask, _ lex: inout LexAutomaton, _ vocabulary: TokenVocabulary,
                                 _ mask: UnsafeMutableBufferPointer<UInt32>, _ sc: inout WalkScratch) -> Int {
        var limitHits = 0
        let trie = entry.trie(vocabulary)
        for (n, from) in entry.boundaries {
            let node = Int(n), d = trie.depth(node)
            var k = node
            for i in stride(from: d - 1, through: 0, by: -1) {
                sc.path[i] = trie.byte(k); sc.node[i + 1] = Int32(k); sc.keyDepth[i] = 0; k = Int(trie.parent[k])
            }
            if boundary(d, from, &lex, &sc, &limitHits) {
                limitHits += walkSubtree(node, &lex, trie, mask, &sc)
            } else {
                trie.setTokens(node, in: mask, allowed: false)
            }
        }
        pop(sc.chart.count)
        sc.chart.removeAll(keepingCapacity: true)
        return limitHits
    }

    /// Sets `sc.lex[d]` to the lexer state after a boundary node at depth `d` (path in `sc.path`,
    /// parent lexer state `from`). A boundary where only tagged items completed — items whose origins
    /// lie at or before the parent's key depth k — depends only on `from`, the byte and the chart up
    /// to depth k, which the trie node at depth k fixes; so one parser step serves every such
    /// boundary under that node with the same transition (every `…"` closing a string, each further
    /// digit of a number). Its result keeps key depth k: tags up to k, position-independent
    /// otherwise. Returns false if the parser refused the path (item limit).
    mutating func boundary(_ d: Int, _ from: Int32, _ lex: inout LexAutomaton, _ sc: inout WalkScratch,
                           _ limitHits: inout Int) -> Bool {
        let b = sc.path[d - 1]
        let k = Int(sc.keyDepth[d - 1])
        let key = UInt64(UInt32(bitPattern: from)) << 32 | UInt64(UInt32(bitPattern: sc.node[k]) & 0xFF_FFFF) << 8 | UInt64(b)
        let memoOK = lex.step(from, b) == LexAutomaton.rootBoundary && sc.node[k] < 1 << 24
        if memoOK, let l = sc.memo[key] { sc.lex[d] = l; sc.keyDepth[d] = Int32(k); return true }
        if !materialize(d, &sc) {
            if limitHit { limitHits += 1 }
            return false
        }
        if memoOK {
            sc.lex[d] = lexState(&lex, &sc, keyDepth: k)
            sc.keyDepth[d] = Int32(k)
            sc.memo[key] = sc.lex[d]
        } else {
            anchoredLexState(d, &lex, &sc)
        }
        return true
    }

    /// Walks the subtree below node `top`, whose path is scanned into the chart: trie bytes step the
    /// lexer automaton, and the parser is consulted only at boundaries (a rule completes).
    mutating func walkSubtree(_ top: Int, _ lex: inout LexAutomaton, _ trie: TokenTrie,
                              _ mask: UnsafeMutableBufferPointer<UInt32>, _ sc: inout WalkScratch) -> Int {
        trie.packed.withUnsafeBufferPointer { nodes in walkSubtree(top, nodes, &lex, trie, mask, &sc) }
    }

    /// `walkSubtree` reading nodes from the trie's packed words.
    private mutating func walkSubtree(_ top: Int, _ nodes: UnsafeBufferPointer<UInt64>, _ lex: inout LexAutomaton, _ trie: TokenTrie,
                                      _ mask: UnsafeMutableBufferPointer<UInt32>, _ sc: inout WalkScratch) -> Int {
        var limitHits = 0
        var n = top + 1
        let end = TokenTrie.next(nodes[top])
        while n < end {
            let node = nodes[n]
            let d = TokenTrie.depth(node), b = UInt8(TokenTrie.byte(node))
            sc.path[d - 1] = b
            sc.node[d] = Int32(n)
            let t = lex.step(sc.lex[d - 1], b)
            if t == LexAutomaton.dead { n = TokenTrie.next(node); continue }
            if t < LexAutomaton.dead {
                if !boundary(d, sc.lex[d - 1], &lex, &sc, &limitHits) { n = TokenTrie.next(node); continue }
            } else {
                sc.lex[d] = t
                sc.keyDepth[d] = sc.keyDepth[d - 1]
            }
            if TokenTrie.hasTokens(node) { trie.setTokens(n, in: mask, allowed: true) }
            n += 1
        }
        return limitHits
    }
}

extension TokenTrie {
    /// Sets (or clears) the mask bits of the tokens ending at node `n`.
    @inline(__always) func setTokens(_ n: Int, in mask: UnsafeMutableBufferPointer<UInt32>, allowed: Bool) {
        let c = Int(tokCount[n])
        if c == 0 { return }
        let f = Int(tokFirst[n])
        for k in f..<(f + c) {
            let id = Int(tokenIds[k])
            if allowed { mask[id >> 5] |= 1 << UInt32(id & 31) } else { mask[id >> 5] &= ~(1 << UInt32(id & 31)) }
        }
    }
}

extension GrammarMatcher {
    /// Writes the allowed-token mask. `mask.count` must be at least `vocabulary.maskWords`.
    public func fillMask(into mask: UnsafeMutableBufferPointer<UInt32>) {
        precondition(mask.count >= vocabulary.maskWords, "mask has \(mask.count) words, need \(vocabulary.maskWords)")
        let words = (vocabulary.tokens.count + 31) / 32
        // The walk writes words 0..<words whole; padding ids beyond the vocabulary stay refused.
        for i in (isError || isTerminated ? 0 : words)..<mask.count { mask[i] = 0 }
        if isError || isTerminated { return }
        let hits = cache.withEngine(vocabulary) { lex, roots in
            parser.fillMask(&lex, &roots, maxRoots: cache.maxRootMasks, vocabulary, mask, words: words, &scratch)
        }
        limitHits += hits
        if parser.isAccepting {
            for e in vocabulary.eosTokenIds { mask[e >> 5] |= 1 << UInt32(e & 31) }
        }
    }

    /// The mask computed the plain way — one Earley set per trie edge, no fast path. Kept as the
    /// reference the fast walk is tested against.
    public func computeMaskReference() -> [UInt32] {
        var mask = [UInt32](repeating: 0, count: vocabulary.maskWords)
        if isError || isTerminated { return mask }
        if parser.isAccepting { for e in vocabulary.eosTokenIds { mask[e >> 5] |= 1 << UInt32(e & 31) } }
        let trie = vocabulary.trie
        let base = parser.length
        var n = 1
        while n < trie.nodeCount {
            let d = trie.depth(n)
            parser.pop(parser.length - (base + d - 1))
            if parser.scan(trie.byte(n)) {
                let f = Int(trie.tokFirst[n])
                for k in f..<(f + Int(trie.tokCount[n])) { let id = Int(trie.tokenIds[k]); mask[id >> 5] |= 1 << UInt32(id & 31) }
                n += 1
            } else {
                n = trie.next(n)
            }
        }
        parser.pop(parser.length - base)
        return mask
    }

    /// The mask as a new array (convenience for tests and tools).
    public func computeMask() -> [UInt32] {
        var m = [UInt32](repeating: 0, count: vocabulary.maskWords)
        m.withUnsafeMutableBufferPointer { fillMask(into: $0) }
        return m
    }

    /// Token ids allowed in `mask`.
    public static func allowedIds(_ mask: [UInt32]) -> [Int] {
        var out: [Int] = []
        for (w, word) in mask.enumerated() where word != 0 {
            for bit in 0..<32 where word & (1 << UInt32(bit)) != 0 { out.append(w * 32 + bit) }
        }
        return out
    }
}
