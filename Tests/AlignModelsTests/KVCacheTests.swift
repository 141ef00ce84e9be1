// KVCache bookkeeping (Sources/AlignModels/Decoder/KVCache.swift): appends land after the valid
// positions of each batch row, capacity grows geometrically and keeps the data, trim only lowers the
// length (the next append overwrites), copies and row selections are independent — checked on
// hand-made values where element (b, s, h, d) = 1000·b + 100·s + 10·h + d.
import Testing
import AlignModels
import AlignTensor

@Suite("KV cache offsets, growth and trimming")
struct KVCacheTests {
    /// [B, T, Hkv, D] with element (b, s0 + t, h, d) = 1000·b + 100·(s0 + t) + 10·h + d + base.
    static func block(b: Int, t: Int, h: Int = 2, d: Int = 3, from s0: Int, base: Float = 0) throws -> Tensor {
        var out: [Float] = []
        for bi in 0 ..< b { for ti in 0 ..< t { for hi in 0 ..< h { for di in 0 ..< d {
            out.append(Float(1000 * bi + 100 * (s0 + ti) + 10 * hi + di) + base)
        } } } }
        return try Tensor(out, shape: [b, t, h, d])
    }

    @Test("appends write after the valid positions and the keys read back in order, across growth")
    func appendAndGrow() throws {
        let cache = KVCache(layers: 1)
        let layer = cache.layers[0]
        try layer.append(keys: Self.block(b: 2, t: 5, from: 0), values: Self.block(b: 2, t: 5, from: 0, base: 0.5))
        #expect(cache.length == 5 && layer.capacity == 64 && cache.batchSize == 2)
        for s in 5 ..< 70 {  // one position at a time, past the first capacity
            try layer.append(keys: Self.block(b: 2, t: 1, from: s), values: Self.block(b: 2, t: 1, from: s, base: 0.5))
        }
        #expect(cache.length == 70 && layer.capacity == 128)  // doubled once
        let keys = try #require(layer.keys), values = try #require(layer.values)
        #expect(keys.shape == [2, 70, 2, 3])
        #expect(keys.scalars == (try Self.block(b: 2, t: 70, from: 0)).scalars)
        #expect(values.scalars == (try Self.block(b: 2, t: 70, from: 0, base: 0.5)).scalars)
    }

    @Test("trim lowers the length; the next append overwrites the trimmed positions")
    func trimThenAppend() throws {
        let cache = KVCache(layers: 2)
        for layer in cache.layers {
            try layer.append(keys: Self.block(b: 1, t: 6, from: 0), values: Self.block(b: 1, t: 6, from: 0))
        }
        cache.trim(to: 4)
        #expect(cache.length == 4 && cache.layers[1].length == 4)
        try cache.layers[0].append(keys: Self.block(b: 1, t: 1, from: 4, base: 7), values: Self.block(b: 1, t: 1, from: 4))
        let keys = try #require(cache.layers[0].keys)
        #expect(keys.shape == [1, 5, 2, 3])
        #expect(keys.scalars[24 ..< 30] == [407, 408, 409, 417, 418, 419])
        cache.trim(to: 99)  // trimming never lengthens
        #expect(cache.layers[0].length == 5)
    }

    @Test("copy and selectingRows are independent of the original")
    func copiesAreIndependent() throws {
        let cache = KVCache(layers: 1)
        try cache.layers[0].append(keys: Self.block(b: 3, t: 4, from: 0), values: Self.block(b: 3, t: 4, from: 0))
        let picked = cache.selectingRows([2, 0, 2])
        #expect(picked.batchSize == 3 && picked.length == 4)
        let rows = try #require(picked.layers[0].keys).scalars, all = try Self.block(b: 3, t: 4, from: 0).scalars
        let per = 4 * 2 * 3
        #expect(Array(rows[0 ..< per]) == Array(all[2 * per ..< 3 * per]))
        #expect(Array(rows[per ..< 2 * per]) == Array(all[0 ..< per]))
        let copy = cache.copy()
        cache.trim(to: 1)
        try cache.layers[0].append(keys: Self.block(b: 3, t: 1, from: 1, base: 5), values: Self.block(b: 3, t: 1, from: 1))
        #expect(copy.length == 4)
        #expect(try #require(copy.layers[0].keys).scalars == all)
    }
}
