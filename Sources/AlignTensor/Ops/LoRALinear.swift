// LoRA linear: y = x·op(W) + s·(xₐ·Aᵀ)·Bᵀ as ONE recorded op (Hu et al. 2021, arXiv 2106.09685, eq. 3;
// peft 0.21 `lora.Linear.forward`: `result = base_layer(x) + lora_B(lora_A(dropout(x))) * scaling`), where xₐ is
// the adapter's input — x itself, or a dropout of x. The composed form (matmul, matmul, multiply by s, add)
// keeps three [N, out] tensors per projection alive on the tape for the backward and computes a scaled copy
// of the upstream gradient; this op saves only the rank-r activation h = xₐ·Aᵀ [N, r] besides its inputs,
// adds the update into the base product in place (sgemm with alpha = s, beta = 1), and in the backward
// computes only the gradients its inputs need — above all, no [out, in] gradient for a frozen base weight,
// which is what makes LoRA cheaper than full fine-tuning (PEFT gets the same from requires_grad=False).
//
//   forward:  y  = x·op(W)            (the base product, as `rowAwareMatmul` computes it: bit-identical)
//             h  = xₐ·Aᵀ              [N, r]
//             y += s·h·Bᵀ             [N, out]
//   backward: gh = g·B                [N, r]
//             dB = s·gᵀ·h             [out, r]
//             dA = s·ghᵀ·xₐ           [r, in]
//             dx = g·op(W)ᵀ (+ s·gh·A when xₐ is x)
//             dxₐ = s·gh·A            (when xₐ is a separate tensor)
//             dW = gᵀ·x or xᵀ·g       (only when W is trainable)
// Left out: bias (added by the caller, as nn.Linear's base layer does), DoRA, several adapters at once.

extension Tensor {
    /// x · op(weight) plus the LoRA update `scaling · (adapterInput · aᵀ) · bᵀ`, recorded as one op.
    ///
    ///     let y = Tensor.loraLinear(x, weight: w, transposeWeight: true, a: loraA, b: loraB, scaling: 2)
    ///     // x [B, T, in] · w [out, in]ᵀ + 2 · (x · A[r, in]ᵀ) · B[out, r]ᵀ → [B, T, out]
    ///
    /// - Parameters:
    ///   - x: `[..., in]` the layer input.
    ///   - weight: `[out, in]` with `transposeWeight` (nn.Linear's layout), else `[in, out]` (Conv1D's).
    ///   - a: `[r, in]` lora_A.
    ///   - b: `[out, r]` lora_B.
    ///   - scaling: α/r (or α/√r with rsLoRA).
    ///   - adapterInput: what A multiplies (`[..., in]`, x's shape), e.g. a dropout of x; nil means x.
    /// - Returns: `[..., out]`; differentiable with respect to every tensor argument that needs a gradient.
    public static func loraLinear(_ x: Tensor, weight: Tensor, transposeWeight: Bool, a: Tensor, b: Tensor,
                                  scaling: Float, adapterInput: Tensor? = nil) -> Tensor {
        let xa = adapterInput ?? x
        let inF = x.shape.last ?? 0, r = a.shape.first ?? 0
        let outF = transposeWeight ? weight.shape[0] : weight.shape[weight.rank - 1]
        precondition(x.rank >= 1 && weight.rank == 2 && weight.shape[transposeWeight ? 1 : 0] == inF,
                     "loraLinear: x \(x.shape) does not fit weight \(weight.shape) (transposeWeight \(transposeWeight))")
        precondition(a.shape == [r, inF] && b.shape == [outF, r] && xa.shape == x.shape,
                     "loraLinear: A \(a.shape), B \(b.shape), adapter input \(xa.shape) for x \(x.shape), weight \(weight.shape)")
        let rows = inF == 0 ? 0 : x.count / inF
        // The base product exactly as an adapter-free Linear computes it (sgemv for one row when not recording).
        let y = Autograd.withoutGrad { rowAwareMatmul(x, weight, transposeB: transposeWeight) }  // [..., out]
        let h = Tensor.uninitialized([rows, r])  // [N, r]
        xa.withUnsafeBuffer { px in a.withUnsafeBuffer { pa in b.withUnsafeBuffer { pb in
            h.withUnsafeMutableBuffer { ph in y.withUnsafeMutableBuffer { py in
                guard rows > 0, r > 0, let xp = px.baseAddress, let ap = pa.baseAddress, let bp = pb.baseAddress,
                      let hp = ph.baseAddress, let yp = py.baseAddress else { return }
                // h by LowRankKernels.project (faster than sgemm at r-wide outputs); the update by sgemm (β 1).
                let at = LowRankKernels.transposed(ap, rows: r, cols: inF)   // Aᵀ [in, r]
                LowRankKernels.project(xp, at, hp, n: rows, k: inF, r: r, alpha: 1)
                BLAS.sgemm(transA: false, transB: true, m: rows, n: outF, k: r, alpha: scaling, a: hp, lda: r, b: bp, ldb: r,
                           beta: 1, c: yp, ldc: outF)
            } }
        } } }
        let shared = adapterInput == nil || adapterInput === x
        let inputs = shared ? [x, weight, a, b] : [x, weight, a, b, xa]
        let need = LoRALinearNeeds(x: x.needsGrad, weight: weight.needsGrad, a: a.needsGrad, b: b.needsGrad,
                                   adapterInput: !shared && xa.needsGrad)
        let saved = LoRALinearSaved(x: x, weight: weight, transposeWeight: transposeWeight, a: a, b: b, adapterInput: xa,
                                    h: h, scaling: scaling, rows: rows, shared: shared)
        return record("loraLinear", y, inputs) { g in saved.backward(g, need) }
    }
}

/// Which inputs of one `loraLinear` want a gradient (decided when the op is recorded, as torch's needs_input_grad).
struct LoRALinearNeeds {
    let x, weight, a, b, adapterInput: Bool
}

/// What the backward of one `loraLinear` reads: its inputs and the rank-r activation.
struct LoRALinearSaved {
    let x: Tensor             // [..., in]
    let weight: Tensor        // [out, in] or [in, out]
    let transposeWeight: Bool
    let a: Tensor             // [r, in]
    let b: Tensor             // [out, r]
    let adapterInput: Tensor  // [..., in], x when shared
    let h: Tensor             // [N, r] = adapterInput·Aᵀ
    let scaling: Float
    let rows: Int
    let shared: Bool

    var inF: Int { a.shape[1] }
    var outF: Int { b.shape[0] }
    var rank: Int { a.shape[0] }

    /// Gradients in input order ([x, weight, a, b] or [x, weight, a, b, adapterInput]); nil where not needed.
    /// g·B runs in LowRankKernels.project, every other product in sgemm.
    func backward(_ g: Tensor, _ need: LoRALinearNeeds) -> [Tensor?] {
        let needGH = need.a || need.adapterInput || (need.x && shared)
        var gh: Tensor?, db: Tensor?
        if needGH {  // g·B [N, r]
            gh = lowRank(Tensor.uninitialized([rows, rank]), g, b) { pg, pb, po in
                LowRankKernels.project(pg, pb, po, n: rows, k: outF, r: rank, alpha: 1)
            }
        }
        if need.b {  // s·gᵀ·h [out, r]
            db = lowRank(Tensor.uninitialized([outF, rank]), g, h) { pg, ph, po in
                BLAS.sgemm(transA: true, transB: false, m: outF, n: rank, k: rows, alpha: scaling, a: pg, lda: outF,
                           b: ph, ldb: rank, c: po, ldc: rank)
            }
        }
        var da: Tensor?
        if need.a, let gh {  // s·ghᵀ·xₐ [r, in]
            da = lowRank(Tensor.uninitialized([rank, inF]), gh, adapterInput) { pgh, px, po in
                BLAS.sgemm(transA: true, transB: false, m: rank, n: inF, k: rows, alpha: scaling, a: pgh, lda: rank,
                           b: px, ldb: inF, c: po, ldc: inF)
            }
        }
        var dx: Tensor?
        if need.x {
            let out = Tensor.foldedProduct(g, weight, transX: false, transY: !transposeWeight, m: rows, n: inF, k: outF, shape: x.shape)
            if shared, let gh { addExpanded(gh, into: out, beta: 1) }  // += s·gh·A
            dx = out
        }
        var dxa: Tensor?
        if need.adapterInput, let gh { dxa = addExpanded(gh, into: Tensor.uninitialized(x.shape), beta: 0) }
        var dw: Tensor?
        if need.weight {
            dw = transposeWeight ? Tensor.foldedProduct(g, x, transX: true, transY: false, m: outF, n: inF, k: rows)  // gᵀ·x [out, in]
                : Tensor.foldedProduct(x, g, transX: true, transY: false, m: inF, n: outF, k: rows)                   // xᵀ·g [in, out]
        }
        return shared ? [dx, dw, da, db] : [dx, dw, da, db, dxa]
    }

    /// out = s·gh·A (β 0) or out += s·gh·A (β 1): gh [N, r], A [r, in], out [..., in].
    @discardableResult
    func addExpanded(_ gh: Tensor, into out: Tensor, beta: Float) -> Tensor {
        lowRank(out, gh, a, zeroIfEmpty: beta == 0) { pgh, pa, po in
            BLAS.sgemm(transA: false, transB: false, m: rows, n: inF, k: rank, alpha: scaling, a: pgh, lda: rank,
                       b: pa, ldb: inF, beta: beta, c: po, ldc: inF)
        }
    }

    /// Runs `body` on the base addresses of `x`, `y` and `out` (skipped when any is empty) and returns `out`;
    /// with an empty operand the product is zero (`out` zeroed when `zeroIfEmpty`, left as is when accumulating).
    func lowRank(_ out: Tensor, _ x: Tensor, _ y: Tensor, zeroIfEmpty: Bool = true,
                 _ body: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) -> Tensor {
        x.withUnsafeBuffer { px in y.withUnsafeBuffer { py in out.withUnsafeMutableBuffer { po in
            guard let xp = px.baseAddress, let yp = py.baseAddress, let op = po.baseAddress, rows > 0, rank > 0 else {
                if zeroIfEmpty { po.update(repeating: 0) }
                return
            }
            body(xp, yp, op)
        } } }
        return out
    }
}
