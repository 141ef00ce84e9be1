// KVCache: keys and values of past positions, per layer, for incremental decoding (prefill, then
// one token at a time). Each layer owns preallocated [B, capacity, Hkv, D] key and value buffers
// (the attention inputs' `.bthd` layout with a longer time axis); positions 0..<length are valid.
// An append writes only the new positions — O(new tokens) — and the buffers grow geometrically
// (doubling) when full, so n appends cost O(n) amortized copies (the growth policy of Swift's
// Array and of mlx-swift-lm's KVCacheSimple, which grows in fixed steps). Attention reads the
// buffers in place (`Tensor.scaledDotProductAttention(keyLength:)`), so nothing is concatenated.
// Trimming (rollback) only lowers `length`. Left out: quantized and rotating (windowed) caches.
import AlignTensor

/// Past keys/values for every layer of one batch of sequences.
public final class KVCache {
    /// One layer's cache.
    public final class Layer {
        /// [B, capacity, Hkv, D] buffers, or nil before the first append. Positions ≥ `length` are stale.
        public private(set) var keyBuffer: Tensor?
        public private(set) var valueBuffer: Tensor?
        /// Valid positions S.
        public private(set) var length = 0

        /// Positions the buffers hold before they must grow.
        public var capacity: Int { keyBuffer?.shape[1] ?? 0 }

        /// The smallest capacity allocated: short prompts then decode many steps before the first growth.
        static let minimumCapacity = 64

        /// The valid keys as a new [B, S, Hkv, D] tensor (a copy, for inspection; attention reads the buffer).
        public var keys: Tensor? { keyBuffer.map { Self.prefix($0, length) } }
        /// The valid values as a new [B, S, Hkv, D] tensor (a copy).
        public var values: Tensor? { valueBuffer.map { Self.prefix($0, length) } }

        /// Appends [B, T, Hkv, D] keys and values after the `length` cached positions, growing the buffers
        /// (to at least twice their capacity) when they are full. Not recorded: the cache is inference state.
        /// - Precondition: `k` and `v` have the cached batch size and Hkv, D (the model guarantees it).
        public func append(keys k: Tensor, values v: Tensor) {
            precondition(k.rank == 4 && k.shape == v.shape, "KVCache.append: keys \(k.shape), values \(v.shape)")
            let t = k.shape[1]
            reserve(length + t, like: k.shape)
            guard let kb = keyBuffer, let vb = valueBuffer else { return }
            Self.write(k, into: kb, at: length)
            Self.write(v, into: vb, at: length)
            length += t
        }

        /// Makes room for `needed` positions of rows shaped like `shape` ([B, *, Hkv, D]).
        private func reserve(_ needed: Int, like shape: [Int]) {
            if let kb = keyBuffer {
                precondition(kb.shape[0] == shape[0] && kb.shape[2...] == shape[2...],
                             "KVCache.append: \(shape) does not match the cached \(kb.shape)")
                if needed <= kb.shape[1] { return }
            }
            let cap = Swift.max(needed, 2 * capacity, Self.minimumCapacity)
            keyBuffer = Self.resized(keyBuffer, length: length, capacity: cap, like: shape)
            valueBuffer = Self.resized(valueBuffer, length: length, capacity: cap, like: shape)
        }

        /// Drops positions ≥ `newLength` (rollback for search and speculative decoding). O(1).
        public func trim(to newLength: Int) {
            length = Swift.max(0, Swift.min(length, newLength))
        }

        /// A new [B, capacity, Hkv, D] buffer holding the first `length` positions of `old` (if any).
        static func resized(_ old: Tensor?, length: Int, capacity: Int, like shape: [Int]) -> Tensor {
            let out = Tensor(zeros: [shape[0], capacity, shape[2], shape[3]])
            if let old, length > 0 { write(prefix(old, length), into: out, at: 0) }
            return out
        }

        /// Copies src [B, T, ...] into positions at..<at+T of buffer [B, cap, ...], row by row.
        static func write(_ src: Tensor, into buffer: Tensor, at start: Int) {
            let (b, t, cap) = (src.shape[0], src.shape[1], buffer.shape[1])
            let inner = src.count / Swift.max(b * t, 1)  // Hkv · D
            src.withUnsafeBuffer { ps in buffer.withUnsafeMutableBuffer { pb in
                guard let s = ps.baseAddress, let d = pb.baseAddress else { return }
                for i in 0 ..< b {
                    (d + (i * cap + start) * inner).update(from: s + i * t * inner, count: t * inner)
                }
            } }
        }

        /// The first `length` positions of a [B, cap, ...] buffer as a new [B, length, ...] tensor.
        static func prefix(_ a: Tensor, _ length: Int) -> Tensor {
            let (bs, cap) = (a.shape[0], a.shape[1])
            let inner = a.count / Swift.max(bs * cap, 1)
            let out = Tensor(zeros: [bs, length] + Array(a.shape.dropFirst(2)))
            a.withUnsafeBuffer { pa in out.withUnsafeMutableBuffer { po in
                guard let s = pa.baseAddress, let d = po.baseAddress else { return }
                for i in 0 ..< bs { (d + i * length * inner).update(from: s + i * cap * inner, count: length * inner) }
            } }
            return out
        }
    }

    public let layers: [Layer]

    public init(layers: Int) {
        self.layers = (0 ..< layers).map { _ in Layer() }
    }

    /// Cached positions S (0 when empty).
    public var length: Int { layers.first?.length ?? 0 }

    /// Rolls every layer back to `length` positions.
    public func trim(to length: Int) {
        layers.forEach { $0.trim(to: length) }
    }
}
