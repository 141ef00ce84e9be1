// GrammarMatcher+Mask: the allowed-token bitmask, computed by walking the token trie with the parser
// pushed one byte per trie edge and popped on the way back (llguidance toktrie walk). A rejected byte
// skips the node's whole subtree. Layout as in xgrammar/llguidance: 32-bit words, bit (id % 32) of
// word (id / 32), 1 = allowed, sized by the logit dimension. No allocation on this path once the
// parser's chart has grown to the needed size.

/// Per-depth scratch of the trie walk: path bytes and fast-path DFA states.
struct WalkScratch {
    var path = [UInt8](repeating: 0, count: 256)
    var lazy = [Int32](repeating: 0, count: 256)
}

extension EarleyParser {
    /// Walks the token trie, setting mask bits of tokens whose bytes the grammar allows. Returns the
    /// number of bytes refused by the item limit.
    ///
    /// Fast path: while the current set has a single item on a terminal, trie bytes step only that
    /// terminal's DFA ("lazy" depths, no Earley set is built); the path is materialized in the chart
    /// only when the DFA reaches an accepting state (the terminal may complete there).
    mutating func walk(_ trie: TokenTrie, _ mask: UnsafeMutableBufferPointer<UInt32>, _ sc: inout WalkScratch) -> Int {
        let base = length
        let count = trie.nodeCount
        var limitHits = 0
        var earleyDepth = 0           // path bytes materialized in the chart
        var n = 1
        while n < count {
            let d = Int(trie.depth[n])
            if d >= sc.path.count { sc.path += [UInt8](repeating: 0, count: d); sc.lazy += [Int32](repeating: 0, count: d) }
            if earleyDepth > d - 1 { pop(earleyDepth - (d - 1)); earleyDepth = d - 1 }
            let b = trie.byte[n]
            sc.path[d - 1] = b
            let parentState: Int32? = earleyDepth == d - 1 ? singleScannableState : sc.lazy[d - 1]
            var ok = false
            if let s = parentState, case let t = g.trans[Int(s) &* 256 &+ Int(b)], t == 0 || !g.accepting[Int(t)] {
                ok = t != 0
                sc.lazy[d] = t
            } else {
                ok = true
                for k in earleyDepth..<d {
                    if !scan(sc.path[k]) { ok = false; if limitHit { limitHits += 1 }; break }
                    earleyDepth = k + 1
                }
            }
            if ok {
                let c = Int(trie.tokCount[n])
                if c > 0 {
                    let f = Int(trie.tokFirst[n])
                    for k in f..<(f + c) {
                        let id = Int(trie.tokenIds[k])
                        mask[id >> 5] |= 1 << UInt32(id & 31)
                    }
                }
                n += 1
            } else {
                n = Int(trie.next[n])
            }
        }
        pop(length - base)
        return limitHits
    }
}

extension GrammarMatcher {
    /// Writes the allowed-token mask. `mask.count` must be at least `vocabulary.maskWords`.
    public func fillMask(into mask: UnsafeMutableBufferPointer<UInt32>) {
        precondition(mask.count >= vocabulary.maskWords, "mask has \(mask.count) words, need \(vocabulary.maskWords)")
        for i in 0..<mask.count { mask[i] = 0 }
        if isError || isTerminated { return }
        if parser.isAccepting {
            for e in vocabulary.eosTokenIds { mask[e >> 5] |= 1 << UInt32(e & 31) }
        }
        // One exclusive access to the parser and the scratch for the whole walk (class properties
        // would otherwise be checked dynamically on every use).
        limitHits += parser.walk(vocabulary.trie, mask, &scratch)
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
            let d = Int(trie.depth[n])
            parser.pop(parser.length - (base + d - 1))
            if parser.scan(trie.byte[n]) {
                let f = Int(trie.tokFirst[n])
                for k in f..<(f + Int(trie.tokCount[n])) { let id = Int(trie.tokenIds[k]); mask[id >> 5] |= 1 << UInt32(id & 31) }
                n += 1
            } else {
                n = Int(trie.next[n])
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
