// Fused log-softmax + gather: per-token log-probabilities of given labels (and the log-sum-exp)
// straight from the logits, without writing a vocab-sized log-softmax buffer. Forward reads each
// row once (SoftmaxKernels.rowStats); backward writes dlogits in one pass from the saved
// log-sum-exp. This is the kernel under every sequence log-prob in training (TRL's
// `selective_log_softmax` in trl/trainer/utils.py computes the same numbers via logsumexp and
// gather; llm.c's crossentropy_softmax_backward is the same VJP).
//
// With z = scale·x (scale = 1/temperature; 1 for the plain form):
//   logp[label] = (z[label] − max z) − log Σ exp(z − max z),   lse = max z + log Σ exp(z − max z)
//   ∂logp/∂x_j = scale·(onehot_j − p_j),   ∂lse/∂x_j = scale·p_j,   p_j = exp(z_j − lse)
// Rows whose label is the ignore index get logp = 0 and no gradient through logp (their lse is
// still computed and differentiable), as in PyTorch's nll_loss(ignore_index=-100).
import Foundation

/// Row-parallel kernels of the fused log-prob op. Labels were validated by the op.
enum LogProbKernels {
    /// logp[r] and lse[r] for each of `rows` rows of `v` logits.
    static func forward(logits: UnsafeBufferPointer<Float>, labels: UnsafeBufferPointer<Int32>, v: Int,
                        scale: Float, ignoreIndex: Int32,
                        logp: UnsafeMutableBufferPointer<Float>, lse: UnsafeMutableBufferPointer<Float>) {
        guard let x = logits.baseAddress else { return }
        SoftmaxKernels.forRows(labels.count, v) { start in
            let row = start / Swift.max(v, 1)
            let (m, s) = SoftmaxKernels.rowStats(x + start, v, scale: scale)
            let logS = Float(Foundation.log(s))
            lse[row] = m + logS
            let label = labels[row]
            // Same association as torch's log_softmax followed by gather: (z − max) − log Σ.
            logp[row] = label == ignoreIndex ? 0 : (x[start + Int(label)] * scale - m) - logS
        }
    }

    /// dlogits[r, j] = scale·(coef[r]·p_rj + gLabel[r]·onehot_j) with p = exp(scale·x − lse): the
    /// VJP of both outputs at once, where coef = g_lse − g_logp and gLabel = g_logp (0 for ignored
    /// rows). One read of the logits and one write of dlogits.
    static func backward(logits: UnsafeBufferPointer<Float>, labels: UnsafeBufferPointer<Int32>, v: Int,
                         scale: Float, ignoreIndex: Int32, lse: UnsafeBufferPointer<Float>,
                         gLogp: UnsafeBufferPointer<Float>?, gLse: UnsafeBufferPointer<Float>?,
                         dlogits: UnsafeMutableBufferPointer<Float>) {
        guard let x = logits.baseAddress, let d = dlogits.baseAddress else { return }
        SoftmaxKernels.forRows(labels.count, v) { start in
            let row = start / Swift.max(v, 1)
            let ignored = labels[row] == ignoreIndex
            let gl = ignored ? 0 : (gLogp?[row] ?? 0)
            let coef = ((gLse?[row] ?? 0) - gl) * scale
            if coef == 0 {
                (d + start).update(repeating: 0, count: v)
            } else {
                scaledSoftmaxRow(x + start, d + start, v, scale: scale, lse: lse[row], coef: coef)
            }
            if !ignored { d[start + Int(labels[row])] += gl * scale }
        }
    }

    /// out_j = coef · exp(scale·x_j − lse) over one row (scale·x_j ≤ lse up to rounding).
    @inline(__always)
    static func scaledSoftmaxRow(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int,
                                 scale: Float, lse: Float, coef: Float) {
        let zero = SIMDMath.Vector(repeating: 0)
        var k = 0
        while k + 8 <= n {
            // min(·, 0) guards the expNonPositive contract against a last-bit rounding above lse.
            let z = SIMDMath.min(SIMDMath.load(x + k) * scale - lse, zero)
            SIMDMath.store(SIMDMath.expNonPositive(z) * coef, out + k)
            k += 8
        }
        if k < n {
            let z = SIMDMath.min(SIMDMath.loadPartial(x + k, n - k, fill: -.infinity) * scale - lse, zero)
            SIMDMath.storePartial(SIMDMath.expNonPositive(z) * coef, out + k, n - k)
        }
    }
}
