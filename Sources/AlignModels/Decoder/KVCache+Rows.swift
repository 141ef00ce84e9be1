// KVCache+Rows: copies of a cache — whole (fork a decoding state for search) or a selection of its
// batch rows, possibly repeated (beam reordering; one prompt expanded into N samples), in the
// spirit of transformers' `Cache.reorder_cache` / `batch_select_indices` (cache_utils.py).
import AlignTensor

extension KVCache.Layer {
    /// Fills this empty layer with rows `rows` of `source` (nothing if `source` is empty).
    func fill(rows: [Int], of source: KVCache.Layer) {
        if let k = source.keys, let v = source.values {
            _ = append(keys: Self.gather(k, rows), values: Self.gather(v, rows))
        }
    }

    /// Rows `rows` of a [B, S, ...] tensor, as a new [rows.count, S, ...] tensor.
    static func gather(_ a: Tensor, _ rows: [Int]) -> Tensor {
        let per = a.count / max(a.shape[0], 1)  // S · Hkv · D
        let out = Tensor(zeros: [rows.count] + Array(a.shape.dropFirst()))
        a.withUnsafeBuffer { pa in out.withUnsafeMutableBuffer { po in
            for (i, r) in rows.enumerated() {
                for j in 0 ..< per { po[i * per + j] = pa[r * per + j] }
            }
        } }
        return out
    }
}

extension KVCache {
    /// Batch size B of the cached keys (0 when empty).
    public var batchSize: Int { layers.first?.keys?.shape[0] ?? 0 }

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
