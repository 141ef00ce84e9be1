// Shared-input products: y_i = x · op(W_i) for several weights over ONE input — q/k/v of an attention block,
// gate/up of a gated MLP — recorded as one op with several outputs, so the backward sums the input's gradient
// inside BLAS: dx = Σ_i g_i · op(W_i)ᵀ as a chain of sgemm calls with β = 1, instead of one [N, in] product per
// projection added up by the tape afterwards (two extra [N, in] buffers and adds for q/k/v, one for gate/up: at
// a 135M Llama's 3,072 packed rows, 90 adds of 7 MB per step).
//
// The forward is `Tensor.matmul`'s, call for call (each y_i its own sgemm, β = 0), so every output is bit-identical
// to the layer-by-layer form; only dx's rounding differs (sums inside sgemm's accumulation, not separate adds).
// The weight gradients are matmul's: dW_i = g_iᵀ·x ([out, in]) or xᵀ·g_i ([in, out]).
//
// Several outputs on a tape of one-output nodes: the op records a one-element "token" whose node holds the
// real backward, and each output is recorded as a part that only files its gradient g_i in a shared slot and
// passes a zero to the token. The token's node is an input of every part, so the tape runs it after all of
// them (reverse topological order); an output the loss never reached leaves its slot empty and counts as zero.

extension Tensor {
    /// x · op(w) for each w in `weights`, recorded with one backward that accumulates x's gradient in BLAS.
    ///
    ///     let qkv = Tensor.sharedInputLinear(x, weights: [wq, wk, wv], transposeWeights: true)
    ///     // x [B, T, C] · [Nq, C]ᵀ, [Nk, C]ᵀ, [Nv, C]ᵀ → [B, T, Nq], [B, T, Nk], [B, T, Nv]
    ///
    /// - Parameters:
    ///   - x: `[..., in]`.
    ///   - weights: each `[out_i, in]` with `transposeWeights` (nn.Linear's layout), else `[in, out_i]`.
    /// - Returns: `[..., out_i]` per weight; differentiable with respect to x and every weight.
    public static func sharedInputLinear(_ x: Tensor, weights: [Tensor], transposeWeights: Bool) -> [Tensor] {
        let shapes = weights.map { w in
            checked { try MatmulShape.resolve(x.shape, w.shape, transA: false, transB: transposeWeights) }
        }
        let outs = zip(weights, shapes).map { w, s in
            let y = Tensor.uninitialized(s.outShape)
            gemm(x, w, y, s, transA: false, transB: transposeWeights, beta: 0)  // as matmul's forward
            return y
        }
        guard Autograd.isEnabled, x.needsGrad || weights.contains(where: { $0.needsGrad }) else { return outs }
        let slots = SharedInputSlots(count: weights.count)
        let saved = SharedInputSaved(x: x, weights: weights, transposeWeights: transposeWeights, needX: x.needsGrad,
                                     needW: weights.map(\.needsGrad))
        let token = record("sharedInputLinear", Tensor.uninitialized([1]), [x] + weights) { _ in
            saved.backward(slots.take())
        }
        return outs.enumerated().map { i, y in
            record("sharedInputLinear.part", y, [token]) { g in
                slots.file(g, at: i)
                return [Tensor(zeros: [1])]
            }
        }
    }
}

/// The output gradients of one `sharedInputLinear`, filed by its parts for the token's backward.
final class SharedInputSlots {
    private var grads: [Tensor?]

    init(count: Int) { grads = Array(repeating: nil, count: count) }

    func file(_ g: Tensor, at i: Int) { grads[i] = g }

    /// The filed gradients (nil where an output got none), releasing them.
    func take() -> [Tensor?] {
        defer { grads = Array(repeating: nil, count: grads.count) }
        return grads
    }
}

/// What the backward of one `sharedInputLinear` reads.
struct SharedInputSaved {
    let x: Tensor          // [..., in]
    let weights: [Tensor]  // [out_i, in] or [in, out_i]
    let transposeWeights: Bool
    let needX: Bool
    let needW: [Bool]

    var inF: Int { x.shape.last ?? 0 }
    var rows: Int { inF == 0 ? 0 : x.count / inF }
    func outF(_ i: Int) -> Int { weights[i].shape[transposeWeights ? 0 : 1] }

    /// Gradients in input order [x, W_0, W_1, …]: dx = Σ g_i·op(W_i)ᵀ (one sgemm per filed g_i, β = 1 after the
    /// first), dW_i as matmul's; nil where no gradient is needed or no output gradient was filed.
    func backward(_ grads: [Tensor?]) -> [Tensor?] {
        var dx: Tensor?
        if needX {
            for (i, g) in grads.enumerated() {
                guard let g else { continue }
                dx = Tensor.foldedProduct(g, weights[i], transX: false, transY: !transposeWeights, m: rows, n: inF,
                                          k: outF(i), shape: x.shape, into: dx)
            }
        }
        let dw: [Tensor?] = grads.enumerated().map { i, g in
            guard needW[i], let g else { return nil }
            return transposeWeights
                ? Tensor.foldedProduct(g, x, transX: true, transY: false, m: outF(i), n: inF, k: rows)  // gᵀ·x [out, in]
                : Tensor.foldedProduct(x, g, transX: true, transY: false, m: inF, n: outF(i), k: rows)  // xᵀ·g [in, out]
        }
        return [dx] + dw
    }
}
