// WordTokenCache: the fast path's cache from a word's bytes to its BPE tokens, an open-addressing hash table
// whose keys live in one byte arena and whose values live in one token arena, so lookups allocate nothing and
// hash with a cheap multiplicative hash instead of SipHash. Cleared wholesale when full (tokenizers' BPE
// cache is likewise bounded).

/// Cache of word bytes → tokens (token ranges in bytes of the word).
struct WordTokenCache {
    private struct Slot { var hash: UInt64 = 0; var keyStart: Int32 = -1; var keyLen: Int32 = 0; var tokStart: Int32 = 0; var tokCount: Int32 = 0 }
    private var slots = [Slot](repeating: Slot(), count: 1 << 16)
    private var keys: [UInt8] = []
    private(set) var tokens: [WordToken] = []
    private var used = 0
    static let maxWordBytes = 256

    static func hash(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(b.count)
        var i = 0
        let raw = UnsafeRawBufferPointer(b)
        while i + 8 <= b.count {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        var tail: UInt64 = 0, shift: UInt64 = 0
        while i < b.count { tail |= UInt64(b[i]) << shift; shift += 8; i += 1 }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 29)
    }

    /// Cached tokens of `bytes` as (start, count) in `tokens`, computing them with `make` on a miss.
    mutating func lookupOrInsert(_ bytes: [UInt8], _ make: (inout [WordToken]) -> Void) -> (Int, Int) {
        if bytes.count > Self.maxWordBytes {  // not cached: computed into the arena without a slot
            if tokens.count > 1 << 22 { clear() }
            let start = tokens.count
            make(&tokens)
            return (start, tokens.count - start)
        }
        let h = bytes.withUnsafeBufferPointer { Self.hash($0) }
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i].keyStart >= 0 {
            if slots[i].hash == h && Int(slots[i].keyLen) == bytes.count {
                let ks = Int(slots[i].keyStart)
                if keys[ks..<(ks + bytes.count)].elementsEqual(bytes) {
                    return (Int(slots[i].tokStart), Int(slots[i].tokCount))
                }
            }
            i = (i + 1) & mask
        }
        if used >= slots.count / 2 || tokens.count > 1 << 22 { clear(); return lookupOrInsert(bytes, make) }
        let start = tokens.count
        make(&tokens)
        slots[i] = Slot(hash: h, keyStart: Int32(keys.count), keyLen: Int32(bytes.count),
                        tokStart: Int32(start), tokCount: Int32(tokens.count - start))
        keys.append(contentsOf: bytes)
        used += 1
        return (start, tokens.count - start)
    }

    private mutating func clear() {
        for k in slots.indices { slots[k].keyStart = -1 }
        keys.removeAll(keepingCapacity: true)
        tokens.removeAll(keepingCapacity: true)
        used = 0
    }
}

