// Rope: rotary position embeddings as transformers computes them — the inverse-frequency
// helper (`_compute_default_rope_parameters` in modeling_rope_utils.py), the cos/sin tables
// (`LlamaRotaryEmbedding.forward`: freqs = inv_freq ⊗ position_ids, emb = cat(freqs, freqs)),
// and the differentiable rotation (`apply_rotary_pos_emb`, kernels in Kernels/RopeKernels.swift).
// rope_scaling variants ("linear", "llama3", …) are left to the models layer: they only rewrite
// the inverse frequencies, which `Rope.inverseFrequencies` returns as a plain array to transform.
import Foundation

/// Rotary-embedding tables (transformers' half-rotation convention).
public enum Rope {
    /// transformers' default inverse frequencies: `inv_freq[i] = 1 / theta^(2i / dimension)` for
    /// i in 0..<dimension/2, computed in Float32 like torch so tables match bit for bit in practice.
    ///
    /// - Parameters:
    ///   - dimension: the rotated width (the head dim D, or D·partial_rotary_factor); even, > 0.
    ///   - theta: config.json's `rope_theta` (10000 for Llama 2, 500000 for Llama 3), > 0.
    /// - Returns: [dimension/2] frequencies; "linear" scaling divides them by the factor.
    /// - Throws: `TensorError.shapeMismatch` for an odd or empty dimension or a non-positive theta.
    public static func inverseFrequencies(dimension: Int, theta: Double) throws -> [Float] {
        guard dimension > 0, dimension % 2 == 0 else {
            throw TensorError.shapeMismatch(op: "Rope.inverseFrequencies", shapes: [[dimension]],
                                            expected: "an even rotary dimension > 0")
        }
        guard theta > 0, theta.isFinite else {
            throw TensorError.shapeMismatch(op: "Rope.inverseFrequencies", shapes: [[dimension]],
                                            expected: "rope_theta > 0 and finite, got \(theta)")
        }
        // torch: 1.0 / (base ** (arange(0, dim, 2).float() / dim)), all in Float32.
        let base = Float(theta)
        return (0 ..< dimension / 2).map { i in 1 / Foundation.pow(base, Float(2 * i) / Float(dimension)) }
    }

    /// The cos and sin tables for explicit position ids (one row per sequence, so left-padded
    /// batches and KV-cache offsets get their own positions).
    ///
    ///     let invFreq = try Rope.inverseFrequencies(dimension: 64, theta: 10000)
    ///     let (cos, sin) = try Rope.cosSin(inverseFrequencies: invFreq, positions: [[0, 1, 2], [5, 6, 7]])
    ///     // cos, sin: [2, 3, 64]
    ///
    /// - Parameters:
    ///   - inverseFrequencies: [D/2] frequencies (possibly rescaled by a rope_scaling rule).
    ///   - positions: [B][T] position ids; every row must have the same length T.
    ///   - attentionScaling: multiplies cos and sin (1 for default, linear and llama3 scaling).
    /// - Returns: `cos` and `sin`, each [B, T, D] with row = cat(freqs, freqs) as in transformers.
    /// - Throws: `TensorError.shapeMismatch` when rows differ in length or no frequencies are given.
    public static func cosSin(inverseFrequencies inv: [Float], positions: [[Int]],
                              attentionScaling: Float = 1) throws -> (cos: Tensor, sin: Tensor) {
        let t = positions.first?.count ?? 0
        guard !inv.isEmpty, positions.allSatisfy({ $0.count == t }) else {
            throw TensorError.shapeMismatch(op: "Rope.cosSin", shapes: [[inv.count], positions.map(\.count)],
                                            expected: "at least one frequency and position rows of equal length")
        }
        let half = inv.count, d = 2 * half
        let cos = Tensor.uninitialized([positions.count, t, d]), sin = Tensor.uninitialized([positions.count, t, d])
        cos.withUnsafeMutableBuffer { pc in sin.withUnsafeMutableBuffer { ps in
            for (b, row) in positions.enumerated() {
                for (j, p) in row.enumerated() {
                    let o = (b * t + j) * d
                    for i in 0 ..< half {
                        let angle = Float(p) * inv[i]  // one Float32 product, as torch's [D/2,1]@[1,T] matmul
                        let c = Foundation.cos(angle) * attentionScaling, s = Foundation.sin(angle) * attentionScaling
                        pc[o + i] = c; pc[o + half + i] = c
                        ps[o + i] = s; ps[o + half + i] = s
                    }
                }
            }
        } }
        return (cos, sin)
    }
}

extension Tensor {
    /// Validates a rotary embedding: `x` is [B, H, T, D] (`.bhtd`) or [B, T, H, D] (`.bthd`) with D
    /// even; `cos` and `sin` are both [B, T, D] or both [T, D].
    /// - Throws: `TensorError.shapeMismatch` naming the three shapes.
    public static func checkRotary(x: [Int], cos: [Int], sin: [Int], layout: HeadLayout) throws -> RopeGeometryInfo {
        let fail = TensorError.shapeMismatch(
            op: "applyingRotary", shapes: [x, cos, sin],
            expected: "x \(layout == .bhtd ? "[B, H, T, D]" : "[B, T, H, D]") with even D and cos, sin both [B, T, D] or [T, D]")
        guard x.count == 4, cos == sin else { throw fail }
        let (b, h, t, d) = layout == .bhtd ? (x[0], x[1], x[2], x[3]) : (x[0], x[2], x[1], x[3])
        guard d % 2 == 0, cos == [b, t, d] || cos == [t, d] else { throw fail }
        return RopeGeometryInfo(batch: b, heads: h, seq: t, dim: d, sharedTable: cos.count == 2)
    }

    /// Applies rotary position embeddings: `x ⊙ cos + rotate_half(x) ⊙ sin` (transformers'
    /// `apply_rotary_pos_emb` on q or k). Differentiable with respect to `x` (and to `cos`/`sin`,
    /// should they require gradients).
    ///
    /// - Parameters:
    ///   - cos, sin: [B, T, D] tables from `Rope.cosSin`, or [T, D] shared by the batch.
    ///   - layout: `.bhtd` for [B, H, T, D] (transformers' layout after `transpose(1, 2)`), or
    ///     `.bthd` for [B, T, H, D] straight from a projection reshaped without copying.
    /// - Returns: a tensor of `x`'s shape.
    public func applyingRotary(cos: Tensor, sin: Tensor, layout: HeadLayout = .bhtd) -> Tensor {
        let info = checked { try Tensor.checkRotary(x: shape, cos: cos.shape, sin: sin.shape, layout: layout) }
        let geo = RopeGeometry(batch: info.batch, heads: info.heads, seq: info.seq, dim: info.dim, layout: layout,
                               tableBatchStride: info.sharedTable ? 0 : info.seq * info.dim)
        let out = Tensor.uninitialized(shape)
        withUnsafeBuffer { x in cos.withUnsafeBuffer { c in sin.withUnsafeBuffer { s in out.withUnsafeMutableBuffer { y in
            RopeKernels.ropeForward(out: y.baseAddress!, x: x.baseAddress!, cos: c.baseAddress!, sin: s.baseAddress!, geometry: geo)
        } } } }
        // x itself is kept only for the gradients of cos/sin (which training never needs): dx reads only cos and sin.
        let (xShape, xNeedsGrad) = (shape, needsGrad), x = cos.needsGrad || sin.needsGrad ? self : nil
        return Tensor.record("applyingRotary", out, [self, cos, sin]) { g in
            var dx: Tensor?
            if xNeedsGrad {
                let d = Tensor.uninitialized(xShape)
                g.withUnsafeBuffer { pg in cos.withUnsafeBuffer { c in sin.withUnsafeBuffer { s in d.withUnsafeMutableBuffer { pd in
                    RopeKernels.ropeBackward(dx: pd.baseAddress!, dout: pg.baseAddress!, cos: c.baseAddress!,
                                             sin: s.baseAddress!, geometry: geo)
                } } } }
                dx = d
            }
            let dcos: Tensor? = cos.needsGrad ? Tensor(zeros: cos.shape) : nil
            let dsin: Tensor? = sin.needsGrad ? Tensor(zeros: sin.shape) : nil
            if let x, dcos != nil || dsin != nil {
                g.withUnsafeBuffer { pg in x.withUnsafeBuffer { x in
                    withOptionalMutablePointer(dcos) { dc in withOptionalMutablePointer(dsin) { ds in
                        RopeKernels.ropeTableBackward(dcos: dc, dsin: ds, dout: pg.baseAddress!, x: x.baseAddress!, geometry: geo)
                    } }
                } }
            }
            return [dx, dcos, dsin]
        }
    }
}

/// The sizes `Tensor.checkRotary` read from the shapes.
public struct RopeGeometryInfo: Equatable, Sendable {
    /// B, H, T and D.
    public let batch: Int, heads: Int, seq: Int, dim: Int
    /// True when cos/sin are [T, D] and shared by every sequence of the batch.
    public let sharedTable: Bool
}
