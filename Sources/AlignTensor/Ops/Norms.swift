// Norms: the tensor-level RMSNorm and LayerNorm ops over the last axis, recorded on the tape
// with the fused backwards of Kernels/NormKernels.swift (statistics saved by the forward).
// RMSNorm mirrors transformers' LlamaRMSNorm (also Mistral, Qwen2/3, SmolLM; Qwen3's q/k norms
// apply it per head), LayerNorm mirrors torch.nn.functional.layer_norm (GPT-2's ln_1/ln_2/ln_f).
// Left out: Gemma's (1 + w) variant and normalization over more than one trailing axis.

extension Tensor {
    /// Validates a norm over the last axis: `x` is [..., C] (rank ≥ 1); `weight` and `bias`, when
    /// given, are [C].
    /// - Throws: `TensorError.shapeMismatch` naming `op` and the shapes.
    public static func checkNorm(op: String, x: [Int], weight: [Int]?, bias: [Int]? = nil) throws {
        guard let c = x.last else {
            throw TensorError.shapeMismatch(op: op, shapes: [x], expected: "an input [..., C] of rank ≥ 1")
        }
        for p in [weight, bias] {
            if let p, p != [c] {
                throw TensorError.shapeMismatch(op: op, shapes: [x, p], expected: "weight and bias of shape [\(c)]")
            }
        }
    }

    /// RMSNorm over the last axis: `y = weight ⊙ x / sqrt(mean(x²) + eps)` (transformers' LlamaRMSNorm).
    ///
    ///     let h = x.rmsNorm(weight: w, eps: 1e-5)   // x: [B, T, C], w: [C] → h: [B, T, C]
    ///
    /// - Parameters:
    ///   - weight: [C] scale, or nil for none.
    ///   - eps: added to the mean square before the square root (config.json's `rms_norm_eps`).
    /// - Returns: a tensor of `x`'s shape. Differentiable with respect to `x` and `weight`.
    public func rmsNorm(weight: Tensor?, eps: Float = 1e-6) -> Tensor {
        checked { try Tensor.checkNorm(op: "rmsNorm", x: shape, weight: weight?.shape) }
        let c = shape[rank - 1], rows = Shape.count(Array(shape.dropLast()))
        let w = weight ?? Tensor(repeating: 1, shape: [c])
        let out = Tensor.uninitialized(shape)
        let rstd = Tensor.uninitialized([rows])  // [rows] 1/sqrt(mean(x²)+eps), saved for backward
        withUnsafeBuffer { x in w.withUnsafeBuffer { pw in out.withUnsafeMutableBuffer { y in
            rstd.withUnsafeMutableBuffer { s in
                NormKernels.rmsNormForward(out: y.baseAddress!, rstd: s.baseAddress!, x: x.baseAddress!,
                                           weight: pw.baseAddress!, rows: rows, channels: c, eps: eps)
            }
        } } }
        let inputs = [self] + (weight.map { [$0] } ?? [])
        return Tensor.record("rmsNorm", out, inputs) { [self] g in
            let dx = Tensor.uninitialized(self.shape)
            let dw: Tensor? = weight?.needsGrad == true ? Tensor(zeros: [c]) : nil
            g.withUnsafeBuffer { pg in self.withUnsafeBuffer { x in w.withUnsafeBuffer { pw in
                rstd.withUnsafeBuffer { s in dx.withUnsafeMutableBuffer { pdx in
                    withOptionalMutablePointer(dw) { pdw in
                        NormKernels.rmsNormBackward(dx: pdx.baseAddress!, dweight: pdw, dout: pg.baseAddress!,
                                                    x: x.baseAddress!, weight: pw.baseAddress!, rstd: s.baseAddress!,
                                                    rows: rows, channels: c)
                    }
                } }
            } } }
            return [dx] + (weight == nil ? [] : [dw])
        }
    }

    /// LayerNorm over the last axis: `y = weight ⊙ (x − mean) / sqrt(var + eps) + bias` with the
    /// biased variance (torch.nn.functional.layer_norm).
    ///
    /// - Parameters:
    ///   - weight: [C] scale, or nil for none.
    ///   - bias: [C] shift, or nil for none.
    ///   - eps: added to the variance (GPT-2's `layer_norm_epsilon`, 1e-5 by default).
    /// - Returns: a tensor of `x`'s shape. Differentiable with respect to `x`, `weight` and `bias`.
    public func layerNorm(weight: Tensor?, bias: Tensor?, eps: Float = 1e-5) -> Tensor {
        checked { try Tensor.checkNorm(op: "layerNorm", x: shape, weight: weight?.shape, bias: bias?.shape) }
        let c = shape[rank - 1], rows = Shape.count(Array(shape.dropLast()))
        let w = weight ?? Tensor(repeating: 1, shape: [c]), b = bias ?? Tensor(zeros: [c])
        let out = Tensor.uninitialized(shape)
        let mean = Tensor.uninitialized([rows]), rstd = Tensor.uninitialized([rows])  // saved statistics
        withUnsafeBuffer { x in w.withUnsafeBuffer { pw in b.withUnsafeBuffer { pb in out.withUnsafeMutableBuffer { y in
            mean.withUnsafeMutableBuffer { m in rstd.withUnsafeMutableBuffer { s in
                NormKernels.layerNormForward(out: y.baseAddress!, mean: m.baseAddress!, rstd: s.baseAddress!,
                                             x: x.baseAddress!, weight: pw.baseAddress!, bias: pb.baseAddress!,
                                             rows: rows, channels: c, eps: eps)
            } }
        } } } }
        let inputs = [self] + [weight, bias].compactMap { $0 }
        return Tensor.record("layerNorm", out, inputs) { [self] g in
            let dx = Tensor.uninitialized(self.shape)
            let dw: Tensor? = weight?.needsGrad == true ? Tensor(zeros: [c]) : nil
            let db: Tensor? = bias?.needsGrad == true ? Tensor(zeros: [c]) : nil
            g.withUnsafeBuffer { pg in self.withUnsafeBuffer { x in w.withUnsafeBuffer { pw in
                mean.withUnsafeBuffer { m in rstd.withUnsafeBuffer { s in dx.withUnsafeMutableBuffer { pdx in
                    withOptionalMutablePointer(dw) { pdw in withOptionalMutablePointer(db) { pdb in
                        NormKernels.layerNormBackward(dx: pdx.baseAddress!, dweight: pdw, dbias: pdb, dout: pg.baseAddress!,
                                                      x: x.baseAddress!, weight: pw.baseAddress!, mean: m.baseAddress!,
                                                      rstd: s.baseAddress!, rows: rows, channels: c)
                    } }
                } } }
            } } }
            return [dx] + (weight == nil ? [] : [dw]) + (bias == nil ? [] : [db])
        }
    }
}

/// Runs `body` with `t`'s mutable base address, or with nil when `t` is nil (an optional
/// gradient output of a fused backward).
func withOptionalMutablePointer<R>(_ t: Tensor?, _ body: (UnsafeMutablePointer<Float>?) -> R) -> R {
    guard let t else { return body(nil) }
    return t.withUnsafeMutableBuffer { body($0.baseAddress) }
}
