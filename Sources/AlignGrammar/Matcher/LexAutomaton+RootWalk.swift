// LexAutomaton+RootWalk: the walk that fills a root mask (`RootMask`, MaskCache) — the whole token trie,
// or for a string-body root the slicer's small trie, walked from one lexer state without the parser.
//
// While no DFA of the root's pairs has reached an accepting state, the lexer state at a trie node is
// just the root's pairs with other DFA states, so the walk steps those DFAs directly ("raw" depths)
// and interns a lexer state only where a DFA accepts. This is llguidance's per-node cost model (toktrie
// walk over a lexer DFA: one table lookup per live lexeme per byte, no hashing) applied to our pairs.
// Depth d's raw list holds only the pairs still alive there, as a stack in one flat buffer (DFS
// order: a node's list sits right above its parent's), so a root with sixty property-name literals
// pays for sixty lookups at the first byte and for the one or two literals that share a prefix below
// it. Interning per node (the automaton's hash of a sorted pair list) costs ~100 ns and was the tail
// of MaskBench's mask time at property-name roots of objects with many declared properties.

extension LexAutomaton {
    /// Roots with more pairs than this are walked through interned lexer states only.
    static let maxRawPairs = 1024

    /// Walks the whole trie from lexer state `root` without the parser: the root mask of `root`.
    /// String-body roots (see `LexAutomaton+Slicer`) start from the slice bitset and walk the rest trie.
    mutating func rootMask(_ root: Int32, _ vocabulary: TokenVocabulary, words: Int, _ sc: inout WalkScratch) -> RootMask {
        let slices = vocabulary.slices
        if let n = bodyDepth(root, cap: slices.maxChars) {
            var bits = Array(slices.upTo[n * slices.words ..< (n + 1) * slices.words])
            // Tokens ending in a lone `\` come from their own bitsets when the root decides them by
            // character count alone (`LexAutomaton+CutEscape`); otherwise the rest trie walks them.
            guard slices.maxCutChars >= 0, let m = cutDepth(root, maxCut: slices.maxCutChars) else {
                return rootMask(root, slices.rest, RootMask(words: bits, boundaries: [], sliced: true), &sc)
            }
            if m >= 0 {
                let cut = slices.cutUpTo[m * slices.words ..< (m + 1) * slices.words]
                for (i, w) in zip(bits.indices, cut) { bits[i] |= w }
            }
            return rootMask(root, slices.restNoCut, RootMask(words: bits, boundaries: [], sliced: true, noCut: true), &sc)
        }
        return rootMask(root, vocabulary.trie, RootMask(words: [UInt32](repeating: 0, count: words), boundaries: []), &sc)
    }

    /// The walk of `rootMask` over `trie`, adding to `out`.
    /// (`out` is consumed so that its fresh words stay uniquely referenced: a copy here made the walk's
    /// first write copy all 16 KB of a 128k mask.)
    private mutating func rootMask(_ root: Int32, _ trie: TokenTrie, _ out: consuming RootMask, _ sc: inout WalkScratch) -> RootMask {
        let comps = components[Int(root)]
        let k = comps.count
        let raw = k > 0 && k <= LexAutomaton.maxRawPairs
        sc.reserveRaw(raw ? k * (trie.maxDepth + 1) : 0, depth: trie.maxDepth)
        var buf: [Int32] = [], per: [Int32] = [], pairs: [UInt64] = []
        swap(&buf, &sc.rawBuf); swap(&per, &sc.rawDepth); swap(&pairs, &sc.pairs)
        let gt = g.trans, acc = g.accepting, soles = g.sole
        buf.withUnsafeMutableBufferPointer { rb in
            per.withUnsafeMutableBufferPointer { pd in
                gt.withUnsafeBufferPointer { gtrans in
                    acc.withUnsafeBufferPointer { accepting in
                        soles.withUnsafeBufferPointer { so in
                            out.words.withUnsafeMutableBufferPointer { words in
                                // Depth 0: every pair of the root, raw when there are not too many.
                                pd[0] = 0; pd[1] = raw ? Int32(k) : 0; pd[2] = root; pd[3] = raw ? 1 : 0
                                if raw { for i in 0..<k { rb[2 * i] = Int32(i); rb[2 * i + 1] = LexAutomaton.state(comps[i]) } }
                                let t = RawTables(gtrans: gtrans, accepting: accepting, sole: so)
                                walk(root, comps, trie, rb, pd, t, words, &out.boundaries, &pairs)
                            }
                        }
                    }
                }
            }
        }
        swap(&buf, &sc.rawBuf); swap(&per, &sc.rawDepth); swap(&pairs, &sc.pairs)
        return out
    }

    /// The node loop, one first byte at a time. `pd[6 * d ..< 6 * d + 6]` = (raw list start, end,
    /// lexer state, raw flag, child cursor, child end) of depth d; `rb[2 * i]`, `rb[2 * i + 1]` =
    /// (pair index into `comps`, DFA state) of raw entry i. A raw depth's lexer state is `unknown`
    /// until a child needs it.
    private mutating func walk(_ root: Int32, _ comps: [UInt64], _ trie: TokenTrie,
                               _ rb: UnsafeMutableBufferPointer<Int32>, _ pd: UnsafeMutableBufferPointer<Int32>,
                               _ t: RawTables, _ words: UnsafeMutableBufferPointer<UInt32>,
                               _ boundaries: inout [(node: Int32, from: Int32)], _ pairs: inout [UInt64]) {
        let alive = firstBytes(pd, rb, t)
        trie.withKids { kids in trie.packed.withUnsafeBufferPointer { nodes in
            for b0 in 0..<256 {
                let c = Int(trie.rootChild[b0])
                if c == 0 { continue }
                if pd[3] == 0 ? step(pd[2], UInt8(b0)) == LexAutomaton.dead : !alive.contains(UInt8(b0)) { continue }
                let w = nodes[c], end = TokenTrie.next(w)
                guard visit(c, TokenTrie.hasTokens(w), b0, 1, comps, trie, rb, pd, t, words, &boundaries, &pairs),
                      end > c + 1 else { continue }
                if LexAutomaton.narrow(pd, rb, t) {
                    walkBelow(c, 1, kids, comps, trie, rb, pd, t, words, &boundaries, &pairs)
                } else {
                    walkScan(from: c + 1, to: end, nodes, comps, trie, rb, pd, t, words, &boundaries, &pairs)
                }
            }
        } }
    }

    /// Whether depth 1 (a root child) is narrow: raw, with every live pair allowing one byte only, as
    /// inside literals. Its subtree is then walked through the child index (`walkBelow`), which skips
    /// the many dead siblings without reading them; a wide subtree, where most children live (a string
    /// body, a number), is scanned (`walkScan`), which measured 1.2–1.5× faster there.
    @inline(__always)
    private static func narrow(_ pd: UnsafeMutableBufferPointer<Int32>, _ rb: UnsafeMutableBufferPointer<Int32>,
                               _ t: RawTables) -> Bool {
        if pd[6 + 3] == 0 { return false }
        for i in Int(pd[6])..<Int(pd[7]) where t.info(Int(rb[2 * i + 1])) & LexAutomaton.soleFlag == 0 { return false }
        return true
    }

    /// The first bytes some raw pair of the root (depth 0 of `pd`) survives, decided from the DFAs
    /// alone so that a dead first byte never touches its subtree's nodes. Each pair's transition row
    /// is read whole (256 contiguous entries): asking each byte of every pair instead was a cache miss
    /// per (byte, pair), ~20 µs at a property-name root with thirty literals.
    private func firstBytes(_ pd: UnsafeMutableBufferPointer<Int32>, _ rb: UnsafeMutableBufferPointer<Int32>,
                            _ t: RawTables) -> ByteSet {
        var set = ByteSet()
        if pd[3] == 0 { return set }
        let gtrans = t.gtrans
        for i in Int(pd[0])..<Int(pd[1]) {
            let s = Int(rb[2 * i + 1])
            let info = t.info(s)
            if info == LexAutomaton.soleNone { continue }
            if info != LexAutomaton.soleSeveral { set.insert(UInt8(truncatingIfNeeded: info >> 32)); continue }
            let row = s &* 256
            set.w0 |= liveBits(gtrans, row); set.w1 |= liveBits(gtrans, row &+ 64)
            set.w2 |= liveBits(gtrans, row &+ 128); set.w3 |= liveBits(gtrans, row &+ 192)
        }
        return set
    }

    /// Bit j set when `gtrans[from + j]` (j < 64) is a live transition.
    @inline(__always) private func liveBits(_ gtrans: UnsafeBufferPointer<Int32>, _ from: Int) -> UInt64 {
        var bits: UInt64 = 0
        for j in 0..<64 where gtrans[from &+ j] != 0 { bits |= 1 << UInt64(j) }
        return bits
    }

    /// The subtree below node `top` (depth `d`, its state in `pd`), depth first through the child
    /// index: a child's byte is stepped before the child's own node data is read, so a dead child
    /// costs a byte of a contiguous list rather than a cache miss.
    private mutating func walkBelow(_ top: Int, _ d: Int, _ kids: TokenTrie.Kids, _ comps: [UInt64], _ trie: TokenTrie,
                                    _ rb: UnsafeMutableBufferPointer<Int32>, _ pd: UnsafeMutableBufferPointer<Int32>,
                                    _ t: RawTables, _ words: UnsafeMutableBufferPointer<UInt32>,
                                    _ boundaries: inout [(node: Int32, from: Int32)], _ pairs: inout [UInt64]) {
        var depth = d
        pd[6 * d + 4] = kids.start[top]; pd[6 * d + 5] = kids.start[top + 1]
        while depth >= d {
            let h = 6 * depth
            let i = Int(pd[h + 4])
            if i == Int(pd[h + 5]) { depth -= 1; continue }
            pd[h + 4] = Int32(i + 1)
            let k = kids.node[i], c = TokenTrie.kidId(k)
            if visit(c, TokenTrie.kidHasTokens(k), Int(kids.byte[i]), depth + 1, comps, trie, rb, pd, t, words, &boundaries, &pairs)
                && TokenTrie.kidHasKids(k) {
                depth += 1
                pd[h + 10] = kids.start[c]; pd[h + 11] = kids.start[c + 1]
            }
        }
    }

    /// The subtree below a wide root child, nodes `start ..< end` in depth-first order (`nodes`: the
    /// trie's packed words): a plain scan, which the hardware prefetches.
    private mutating func walkScan(from start: Int, to end: Int, _ nodes: UnsafeBufferPointer<UInt64>, _ comps: [UInt64],
                                   _ trie: TokenTrie, _ rb: UnsafeMutableBufferPointer<Int32>,
                                   _ pd: UnsafeMutableBufferPointer<Int32>, _ t: RawTables,
                                   _ words: UnsafeMutableBufferPointer<UInt32>,
                                   _ boundaries: inout [(node: Int32, from: Int32)], _ pairs: inout [UInt64]) {
        var n = start
        while n < end {
            let node = nodes[n]
            let below = visit(n, TokenTrie.hasTokens(node), TokenTrie.byte(node), TokenTrie.depth(node), comps, trie,
                              rb, pd, t, words, &boundaries, &pairs)
            n = below ? n + 1 : TokenTrie.next(node)
        }
    }

    /// Steps depth `d - 1`'s state by `b` into depth `d` for node `c`: allows its tokens (if `tokens`)
    /// if it lives, records it as a boundary where a rule completes. Returns whether to walk below it.
    /// Shared by both walks; only how they find the next node differs.
    @inline(__always)
    private mutating func visit(_ c: Int, _ tokens: Bool, _ b: Int, _ d: Int, _ comps: [UInt64], _ trie: TokenTrie,
                                _ rb: UnsafeMutableBufferPointer<Int32>, _ pd: UnsafeMutableBufferPointer<Int32>,
                                _ t: RawTables, _ words: UnsafeMutableBufferPointer<UInt32>,
                                _ boundaries: inout [(node: Int32, from: Int32)], _ pairs: inout [UInt64]) -> Bool {
        let up = 6 * (d - 1), here = 6 * d
        pd[here + 3] = 0
        if pd[up + 3] != 0 {
            // Step the parent's live pairs into this depth's list, right above the parent's.
            let lo = Int(pd[up]), hi = Int(pd[up + 1])
            var w = hi, accepted = false
            for i in lo..<hi {
                let (r, acc) = t.step(Int(rb[2 * i + 1]), b)
                if r != 0 {
                    rb[2 * w] = rb[2 * i]; rb[2 * w + 1] = r; w += 1
                    if acc { accepted = true }
                }
            }
            if w == hi { return false }
            if !accepted {
                pd[here] = Int32(hi); pd[here + 1] = Int32(w); pd[here + 2] = LexAutomaton.unknown; pd[here + 3] = 1
                if tokens { trie.setTokens(c, in: words, allowed: true) }
                return true
            }
            // A DFA accepts: from here on the lexer automaton decides (it knows what advancing means).
            if pd[up + 2] == LexAutomaton.unknown { pd[up + 2] = internRaw(comps, rb, lo, hi, &pairs) }
        }
        let next = step(pd[up + 2], UInt8(b))
        if next == LexAutomaton.dead { return false }
        if tokens { trie.setTokens(c, in: words, allowed: true) }
        if next < LexAutomaton.dead {
            boundaries.append((Int32(c), pd[up + 2]))
            return false
        }
        pd[here + 2] = next
        return true
    }

    /// The lexer state of raw entries `lo ..< hi` (the root's pairs with those DFA states).
    private mutating func internRaw(_ comps: [UInt64], _ rb: UnsafeMutableBufferPointer<Int32>, _ lo: Int, _ hi: Int,
                                    _ pairs: inout [UInt64]) -> Int32 {
        pairs.removeAll(keepingCapacity: true)
        for i in lo..<hi {
            let c = comps[Int(rb[2 * i])]
            pairs.append(LexAutomaton.pack(LexAutomaton.dot(c), rb[2 * i + 1], LexAutomaton.tag(c)))
        }
        return intern(&pairs)
    }
}

/// The terminal DFAs' tables as the raw walk reads them: transition rows, accepting flags, and the
/// per-state `FlatGrammar.sole` words.
struct RawTables {
    let gtrans: UnsafeBufferPointer<Int32>
    let accepting: UnsafeBufferPointer<Bool>
    let sole: UnsafeBufferPointer<UInt64>

    /// The `sole` word of DFA state `s`.
    @inline(__always) func info(_ s: Int) -> UInt64 { sole[s] }

    /// The DFA state after byte `b` from state `s` (0 = dead), as `gtrans[s * 256 + b]`, and whether it
    /// accepts (for a sole transition, from the same word: no read of `accepting`).
    @inline(__always) func step(_ s: Int, _ b: Int) -> (Int32, Bool) {
        let i = info(s)
        if i == LexAutomaton.soleSeveral {
            let r = gtrans[s &* 256 &+ b]
            return (r, r != 0 && accepting[Int(r)])
        }
        if i == LexAutomaton.soleNone || Int((i >> 32) & 0xFF) != b { return (0, false) }
        return (Int32(bitPattern: UInt32(truncatingIfNeeded: i)), i & LexAutomaton.soleAccepts != 0)
    }
}
