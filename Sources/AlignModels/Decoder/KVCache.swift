// KVCache: keys and values of past positions, per layer, for incremental decoding (prefill, then
// one token at a time). Stored [B, S, Hkv, D] like the attention inputs; each append copies into a
// new buffer — O(S) per step, simple and exact; a preallocated ring is a later optimization.
import AlignTensor

/// Past keys/values for every layer of one batch of sequences.
public final class KVCache {
    /// One layer's cache.
    public final class Layer {
        /// [B, S, Hkv, D], or nil before the first append.
        public private(set) var keys: Tensor?
        public private(set) var values: Tensor?

        /// Appends [B, T, Hkv, D] and returns the full [B, S + T, Hkv, D] keys and values.
        func append(keys k: Tensor, values v: Tensor) -> (Tensor, Tensor) {
            let nk = keys.map { Self.concatTime($0, k) } ?? k.detached()
            let nv = values.map { Self.concatTime($0, v) } ?? v.detached()
            keys = nk
            values = nv
            return (nk, nv)
        }

        /// Drops positions ≥ `length` (rollback for search and speculative decoding).
        func trim(to length: Int) {
            guard let k = keys, let v = values, length < k.shape[1] else { return }
            keys = Self.prefix(k, length)
            values = Self.prefix(v, length)
        }

        /// Concatenates along the time axis (dim 1) without recording: the cache is inference state.
        static func concatTime(_ a: Tensor, _ b: Tensor) -> Tensor {
            let (bs, s, t) = (a.shape[0], a.shape[1], b.shape[1])
            let inner = a.count / (bs * s)  // Hkv · D
            let out = Tensor(zeros: [bs, s + t] + Array(a.shape.dropFirst(2)))
            a.withUnsafeBuffer { pa in b.withUnsafeBuffer { pb in out.withUnsafeMutableBuffer { po in
                for i in 0 ..< bs {
                    let o = i * (s + t) * inner
                    for j in 0 ..< s * inner { po[o + j] = pa[i * s * inner + j] }
                    for j in 0 ..< t * inner { po[o + s * inner + j] = pb[i * t * inner + j] }
                }
            } } }
            return out
        }

        static func prefix(_ a: Tensor, _ length: Int) -> Tensor {
            let (bs, s) = (a.shape[0], a.shape[1])
            let inner = a.count / (bs * s)
            let out = Tensor(zeros: [bs, length] + Array(a.shape.dropFirst(2)))
            a.withUnsafeBuffer { pa in out.withUnsafeMutableBuffer { po in
                for i in 0 ..< bs { for j in 0 ..< length * inner { po[i * length * inner + j] = pa[i * s * inner + j] } }
            } }
            return out
        }
    }

    public let layers: [Layer]

    public init(layers: Int) {
        self.layers = (0 ..< layers).map { _ in Layer() }
    }

    /// Cached positions S (0 when empty).
    public var length: Int { layers.first?.keys?.shape[1] ?? 0 }

    /// Rolls every layer back to `length` positions.
    public func trim(to length: Int) {
        layers.forEach { $0.trim(to: length) }
    }
}
