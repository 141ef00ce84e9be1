// KVCache+Rows: copies of a cache — whole (fork a decoding state for search) or a selection of its
// batch rows, possibly repeated (beam reordering; one prompt expanded into N samples), in the
// spirit of transformers' `Cache.reorder_cache` / `batch_select_indices` (cache_utils.py).
// A copy holds the valid positions only (its buffers start at that length and grow on append).
import AlignTensor

extension KVCache.Layer {
    /// Fills this empty layer with rows `rows` of `source`'s valid positions (nothing if `source` is empty).
    func fill(rows: [Int], of source: KVCache.Layer) {
        guard let k = source.keyBuffer, let v = source.valueBuffer, source.length > 0 else { return }
        append(keys: Self.gather(k, rows, length: source.length), values: Self.gather(v, rows, length: source.length))
    }

    /// Positions 0..<length of rows `rows` of a [B, cap, ...] buffer, as a new [rows.count, length, ...] tensor.
    static func gather(_ a: Tensor, _ rows: [Int], length: Int) -> Tensor {
        let cap = a.shape[1]
        let inner = a.count / Swift.max(a.shape[0] * cap, 1)  // Hkv · D
        let out = Tensor(zeros: [rows.count, length] + Array(a.shape.dropFirst(2)))
        a.withUnsafeBuffer { pa in out.withUnsafeMutableBuffer { po in
            guard let s = pa.baseAddress, let d = po.baseAddress else { return }
            for (i, r) in rows.enumerated() {
                (d + i * length * inner).update(from: s + r * cap * inner, count: length * inner)
            }
        } }
        return out
    }
}

extension KVCache {
    /// Batch size B of the cached keys (0 when empty).
    public var batchSize: Int { layers.first?.keyBuffer?.shape[0] ?? 0 }

    /// An independent copy: later appends or trims of either cache leave the other unchanged.
    public func copy() -> KVCache {
        selectingRows(Array(0 ..< batchSize))
    }

    /// A cache whose row i is a copy of row `rows[i]` of this one (rows may repeat).
    /// - Precondition: every index is in 0..<batchSize (callers validate user input first).
    public func selectingRows(_ rows: [Int]) -> KVCache {
        precondition(rows.allSatisfy { $0 >= 0 && $0 < max(batchSize, 1) }, "KVCache row index out of range")
        let out = KVCache(layers: layers.count)
        for (dst, src) in zip(out.layers, layers) { dst.fill(rows: rows, of: src) }
        return out
    }
}
