// RowMatmul: the product of one activation row with a weight matrix — every projection and the LM head of a
// batch-1 decoding step — through cblas_sgemv, which streams the weight once. sgemm with M = 1 first packs
// the weight into panels (OpenBLAS 0.3.21 has no GEMV forwarding for M = 1), and measured 2–4× slower than
// sgemv on this machine for the LM-head and MLP-up shapes (32000×256, 49152×576, 1536×576; equal for
// 576×1536). On Linux the [N, K] case (nn.Linear's layout) runs GemvKernels' own dot-product kernel over a
// persistent worker pool instead: OpenBLAS wakes its threads per call, which costs a noticeable share of
// the ~200 short products of one decoding step. Several rows, or a product the tape must record, go to `Tensor.matmul` unchanged.
// `rowProducts` runs several such products (q/k/v, or gate/up, of one decoding step) as one job of that
// pool, with the bias and a residual added per row, so a step synchronises its threads fewer times.
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

extension Tensor {
    /// One product of `rowProducts`: residual + (x · weightᵀ + bias).
    public struct RowProduct {
        /// [..., K] holding one row.
        public var x: Tensor
        /// [N, K] (nn.Linear's layout).
        public var weight: Tensor
        /// [N], or nil.
        public var bias: Tensor?
        /// x's shape with N last, or nil.
        public var residual: Tensor?

        public init(x: Tensor, weight: Tensor, bias: Tensor? = nil, residual: Tensor? = nil) {
            (self.x, self.weight, self.bias, self.residual) = (x, weight, bias, residual)
        }

        /// The output's shape: x's with N last.
        var outputShape: [Int] { Array(x.shape.dropLast()) + [weight.shape[0]] }

        /// One row against an [N, K] weight, with a matching bias and residual, and nothing to record.
        var isRowProduct: Bool {
            let k = x.shape.last ?? 0
            guard x.rank >= 1, k > 0, x.count == k, weight.rank == 2, weight.shape[1] == k, weight.shape[0] > 0,
                  bias.map({ $0.count == weight.shape[0] }) ?? true, residual.map({ $0.shape == outputShape }) ?? true
            else { return false }
            // needsGrad first: Autograd.isEnabled reads the thread dictionary.
            return !(x.needsGrad || weight.needsGrad || bias?.needsGrad == true || residual?.needsGrad == true)
                || !Autograd.isEnabled
        }
    }

    /// residual + (x · Wᵀ + b) for each product, computed as matrix–vector products in one job of the worker
    /// pool (GemvKernels.gemv(_:)) — the same bits as `rowAwareMatmul`, then `+ b`, then `residual +`, each
    /// product alone. Returns nil (compute them one by one) unless every product is a single row with nothing
    /// to record, or off Linux (where Accelerate's sgemv runs each product).
    ///
    ///     let qkv = Tensor.rowProducts([.init(x: x, weight: wq), .init(x: x, weight: wk), .init(x: x, weight: wv)])
    public static func rowProducts(_ products: [RowProduct]) -> [Tensor]? {
        #if os(Linux)
        guard !products.isEmpty, products.allSatisfy(\.isRowProduct) else { return nil }
        let outs = products.map { Tensor.uninitialized($0.outputShape) }
        func address(_ t: Tensor) -> UnsafeMutablePointer<Float>? { t.storage.buffer.baseAddress.map { $0 + t.offset } }
        var kernels: [GemvKernels.Product] = []
        for (p, y) in zip(products, outs) {
            guard let w = address(p.weight), let x = address(p.x), let yp = address(y) else { return nil }
            kernels.append(GemvKernels.Product(w: w, x: x, y: yp, n: p.weight.shape[0], k: p.weight.shape[1],
                                               bias: p.bias.flatMap(address), residual: p.residual.flatMap(address)))
        }
        withExtendedLifetime((products, outs)) { GemvKernels.gemv(kernels) }
        return outs
        #else
        return nil
        #endif
    }
}
