// Global-norm gradient clipping, as torch 2.15.0's torch.nn.utils.clip_grad_norm_ (norm_type 2,
// error_if_nonfinite False): the total norm is the 2-norm of the per-tensor 2-norms, and every
// gradient is scaled by min(1, max_norm / (total + 1e-6)).
//
// Float order as torch evaluates it: each per-tensor norm is a Float32 tensor; the total is the
// norm of those Float32 values; `max_norm / (total + 1e-6)` is Tensor.__rdiv__, i.e.
// reciprocal(total + f32(1e-6)) · f32(max_norm); the coefficient is clamped to 1 and multiplied
// into every gradient (torch does so even when it is exactly 1, a no-op skipped here). Sums of
// squares are accumulated in Float64 here, so a norm can differ from torch's Float32 reduction by
// about one ulp.
// A non-finite total (NaN/inf gradients) propagates into the gradients as in torch's default;
// callers that want to skip such a step check the returned norm.
// Left out: other norm types (1, inf) and foreach grouping (a performance detail).

/// Scales the gradients of `parameters` so their global 2-norm is at most `maxNorm`, in place.
/// Parameters without a gradient, or frozen (`requiresGrad == false`), are left out of the norm
/// and untouched (torch skips `grad is None`; frozen parameters have none in torch).
///
/// - Parameters:
///   - parameters: the parameters whose `grad`s are clipped (e.g. `optimizer.parameters`).
///   - maxNorm: the largest allowed global norm (torch's `max_norm`).
/// - Returns: the global norm before clipping, as torch's returned Float32 tensor holds it
///   (0 when no parameter has a gradient).
@discardableResult
public func clipGradNorm(_ parameters: [NamedParameter], maxNorm: Double) -> Float {
    let grads = parameters.filter(\.isTrainable).compactMap(\.tensor.grad)
    guard !grads.isEmpty else { return 0 }
    // Per-tensor norms, rounded to Float32 like torch's per-tensor results, then their norm.
    var squares = 0.0
    for g in grads {
        let norm = Float(g.withUnsafeBuffer(sumOfSquares).squareRoot())
        squares += Double(norm) * Double(norm)
    }
    let total = Float(squares.squareRoot())
    let coef = (1 / (total + Float(1e-6))) * Float(maxNorm)
    // torch.clamp(max=1.0) keeps NaN.
    let clamped = coef.isNaN ? coef : min(coef, 1)
    // torch multiplies by the clamped coefficient even when it is 1; x · 1 is x for every Float (NaN, ±0, ±inf
    // included), so skipping that pass changes no bit and saves a read and a write of every gradient.
    guard clamped != 1 else { return total }
    for g in grads {
        g.withUnsafeMutableBuffer { buf in
            Parallel.forRanges(buf.count, costPerItem: 2) { r in for i in r { buf[i] *= clamped } }
        }
    }
    return total
}

/// Σ x² accumulated in Float64 (exact products, so only the additions round). Shapes: x [n].
/// Summed in fixed blocks of `sumBlock` elements (in parallel), then the blocks in order: the same value
/// whatever the thread count.
private func sumOfSquares(_ x: UnsafeBufferPointer<Float>) -> Double {
    let blocks = (x.count + sumBlock - 1) / sumBlock
    var partial = [Double](repeating: 0, count: blocks)
    partial.withUnsafeMutableBufferPointer { ps in
        Parallel.forRanges(blocks, costPerItem: sumBlock) { r in
            for blk in r {
                // Eight interleaved sums: one chain of dependent Float64 adds ran at ~4 cycles an element
                // (0.11 s over a 135M model's gradients); eight keep the adder busy and the loop memory-bound.
                var acc = SIMD8<Double>(repeating: 0)
                var i = blk * sumBlock
                let end = min(x.count, (blk + 1) * sumBlock)
                while i + 8 <= end {
                    for lane in 0 ..< 8 {
                        let d = Double(x[i + lane])
                        acc[lane] += d * d
                    }
                    i += 8
                }
                var s = acc.sum()
                while i < end {
                    let d = Double(x[i])
                    s += d * d
                    i += 1
                }
                ps[blk] = s
            }
        }
    }
    return partial.reduce(0, +)
}

/// Elements per partial sum of `sumOfSquares`.
private let sumBlock = 1 << 16
