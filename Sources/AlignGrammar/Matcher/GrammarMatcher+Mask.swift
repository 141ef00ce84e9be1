// GrammarMatcher+Mask: the allowed-token bitmask, computed by walking the token trie with the parser
// pushed one byte per trie edge and popped on the way back (llguidance toktrie walk). A rejected byte
// skips the node's whole subtree. Layout as in xgrammar/llguidance: 32-bit words, bit (id % 32) of
// word (id / 32), 1 = allowed, sized by the logit dimension. No allocation on this path once the
// parser's chart has grown to the needed size.

extension GrammarMatcher {
    /// Writes the allowed-token mask. `mask.count` must be at least `vocabulary.maskWords`.
    public func fillMask(into mask: UnsafeMutableBufferPointer<UInt32>) {
        precondition(mask.count >= vocabulary.maskWords, "mask has \(mask.count) words, need \(vocabulary.maskWords)")
        for i in 0..<mask.count { mask[i] = 0 }
        if isError || isTerminated { return }
        if parser.isAccepting {
            for e in vocabulary.eosTokenIds { mask[e >> 5] |= 1 << UInt32(e & 31) }
        }
        let trie = vocabulary.trie
        let base = parser.length
        var n = 1
        let count = trie.nodeCount
        trie.byte.withUnsafeBufferPointer { bytes in
            trie.depth.withUnsafeBufferPointer { depth in
                trie.next.withUnsafeBufferPointer { next in
                    while n < count {
                        let d = Int(depth[n])
                        let excess = parser.length - (base + d - 1)
                        if excess > 0 { parser.pop(excess) }
                        if parser.scan(bytes[n]) {
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
                            if parser.limitHit { limitHitsIncrement() }
                            n = Int(next[n])
                        }
                    }
                }
            }
        }
        parser.pop(parser.length - base)
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
