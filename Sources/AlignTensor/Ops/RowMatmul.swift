// RowMatmul: the product of one activation row with a weight matrix — every projection and the LM head of a
// batch-1 decoding step — through cblas_sgemv, which streams the weight once. sgemm with M = 1 first packs
// the weight into panels (OpenBLAS 0.3.21 has no GEMV forwarding for M = 1), and measured 2–4× slower than
// sgemv on this machine for the LM-head and MLP-up shapes (32000×256, 49152×576, 1536×576; equal for
// 576×1536). On Linux the [N, K] case (nn.Linear's layout) runs GemvKernels' own dot-product kernel over a
// persistent worker pool instead: OpenBLAS wakes its threads per call, which costs a noticeable share of
// the ~200 short products of one decoding step. Several rows, or a product the tape must record, go to `Tensor.matmul` unchanged.
#if canImport(Accelerate)
import Accelerate
#else
import CBLAS
#endif

extension Tensor {
    /// x · op(w) for x [..., K] and w [N, K] (`transposeB`) or [K, N]: `matmul(x, w, transposeB:)`, computed as a
    /// matrix–vector product when x holds a single row and nothing is recorded (inference decoding).
    ///
    ///     let logits = Tensor.rowAwareMatmul(h, embedding, transposeB: true)  // [1, C] · [V, C]ᵀ → [1, V]
    public static func rowAwareMatmul(_ x: Tensor, _ w: Tensor, transposeB: Bool) -> Tensor {
        let k = x.shape.last ?? 0
        let recording = Autograd.isEnabled && (x.needsGrad || w.needsGrad)
        guard x.rank >= 2, w.rank == 2, x.count == k, k > 0, !recording, w.shape[transposeB ? 1 : 0] == k,
              w.shape[transposeB ? 0 : 1] > 0 else {
            return matmul(x, w, transposeB: transposeB)  // several rows, recording, empty or mismatched shapes
        }
        let n = w.shape[transposeB ? 0 : 1]
        #if os(Linux)
        if transposeB {  // w [N, K]: N dot products over the worker pool (see GemvKernels)
            let out = Tensor.uninitialized(Array(x.shape.dropLast()) + [n])
            x.withUnsafeBuffer { px in w.withUnsafeBuffer { pw in out.withUnsafeMutableBuffer { po in
                guard let xp = px.baseAddress, let wp = pw.baseAddress, let yp = po.baseAddress else { return }
                GemvKernels.gemv(w: wp, x: xp, y: yp, n: n, k: k)
            } } }
            return out
        }
        #endif
        // Zeroed, not uninitialized: sgemv computes beta·y first, and some OpenBLAS kernels multiply
        // (NaN or ±inf left in a recycled buffer times 0 is NaN) rather than overwrite when beta == 0.
        let out = Tensor(zeros: Array(x.shape.dropLast()) + [n])
        x.withUnsafeBuffer { px in w.withUnsafeBuffer { pw in out.withUnsafeMutableBuffer { po in
            // Row-major w [N, K]: y = w·x (NoTrans); w [K, N]: y = wᵀ·x (Trans). lda is w's row length.
            cblas_sgemv(CblasRowMajor, transposeB ? CblasNoTrans : CblasTrans, Int32(w.shape[0]), Int32(w.shape[1]), 1,
                        pw.baseAddress, Int32(w.shape[1]), px.baseAddress, 1, 0, po.baseAddress, 1)
        } } }
        return out
    }
}
