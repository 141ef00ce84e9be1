// SwiGLU + linear: `(silu(gate) ⊙ up) · op(W)` — a gated MLP's activation and down projection as ONE recorded
// op that does not keep the activation s = silu(gate) ⊙ up [B, T, F] for the backward: it recomputes s from
// gate and up (which the SwiGLU backward needs anyway) in the same elementwise pass as d gate and d up. Unfused,
// s is saved as the down projection's input: 25 MB per layer of a 135M Llama at 4,096 tokens, 0.75 GB over
// its 30 layers. The same trade as activation recomputation (Chen et al. 2016, "Training Deep Nets with
// Sublinear Memory Cost"), applied to the cheapest op to redo.
//
// The numbers are the unfused ones exactly: the same sgemm calls as `Tensor.swiglu` followed by `Tensor.matmul`
// (Ops/Activations.swift, Ops/Matmul.swift), and the recomputed s is the one `swigluForward` writes, bit for bit.
// Left out: a bias on the projection (a caller adds it after, as Linear does).

extension Tensor {
    /// `matmul(swiglu(gate: gate, up: up), weight, transposeB:)` without saving the SwiGLU output.
    ///
    ///     let y = Tensor.swigluLinear(gate: g, up: u, weight: wDown, transposeB: true)  // [B, T, F] ·[C, F]ᵀ → [B, T, C]
    ///
    /// - Parameters:
    ///   - gate, up: `[…, F]` each (same shape).
    ///   - weight: `[C, F]` with `transposeB` (nn.Linear's layout), else `[F, C]`.
    /// - Returns: `[…, C]`; differentiable with respect to `gate`, `up` and `weight`.
    public static func swigluLinear(gate: Tensor, up: Tensor, weight: Tensor, transposeB: Bool) -> Tensor {
        checked { try checkSwiGLU(gate: gate.shape, up: up.shape) }
        let s = checked { try MatmulShape.resolve(gate.shape, weight.shape, transA: false, transB: transposeB) }
        let out = Autograd.withoutGrad { matmul(swiglu(gate: gate, up: up), weight, transposeB: transposeB) }
        return record("swigluLinear", out, [gate, up, weight]) { g in
            // As Tensor.matmul's backward (no transposeA): d act = G·op(W)ᵀ, dW from actᵀ·G (or Gᵀ·act), with act
            // recomputed by the same elementwise pass that computes d gate and d up (one σ per element, not two).
            let dAct = matmul(g, weight, transposeB: !transposeB)  // [..., F]
            let n = gate.count
            let act: Tensor? = weight.needsGrad ? Tensor.uninitialized(gate.shape) : nil
            let dgate: Tensor? = gate.needsGrad ? Tensor.uninitialized(gate.shape) : nil
            let dup: Tensor? = up.needsGrad ? Tensor.uninitialized(up.shape) : nil
            dAct.withUnsafeBuffer { pd in gate.withUnsafeBuffer { pg in up.withUnsafeBuffer { pu in
                withOptionalMutablePointer(dgate) { dg in withOptionalMutablePointer(dup) { du in
                    withOptionalMutablePointer(act) { pa in
                        ActivationKernels.swigluBackward(dgate: dg, dup: du, act: pa, dout: pd.baseAddress!,
                                                         gate: pg.baseAddress!, up: pu.baseAddress!, count: n)
                    }
                } }
            } } }
            let dw: Tensor? = act.map { act in transposeB
                ? batchedProduct(g, act, transX: true, transY: false, batch: s.batch, outShape: weight.shape, sumBatch: true)
                : batchedProduct(act, g, transX: true, transY: false, batch: s.batch, outShape: weight.shape, sumBatch: true)
            }
            return [dgate, dup, dw]
        }
    }
}
