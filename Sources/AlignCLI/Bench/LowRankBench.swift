// LoRA's rank-r projection (LowRankKernels.project) beside OpenBLAS's sgemm on the same operands, at the shapes
// of a 135M Llama's LoRA r 16 training step: N = 3,072 rows (8 pairs of 128 + 128 + 128 tokens), layer widths
// 576 and 1536. Each case times ours and sgemm alternately and reports GFLOP/s (2·N·width·r per product).
import AlignTensor

extension KernelBench {
    static func lowRankCases(width: Int, sgemm peak: Double, minSeconds: Double) -> [BenchRecord] {
        let (n, r) = (3072, 16)
        let x = Tensor.uniform([n, width], low: -1, high: 1, generator: &benchGenerator)  // X [N, width]
        let w = Tensor.uniform([width, r], low: -1, high: 1, generator: &benchGenerator)  // W [width, r]
        let flops = 2 * Double(n * width * r)
        let hOut = UnsafeMutablePointer<Float>.allocate(capacity: n * r)  // H [N, r]
        defer { hOut.deallocate() }
        let t = x.withUnsafeBuffer { px in w.withUnsafeBuffer { pw in
            let (xp, wp) = (px.baseAddress!, pw.baseAddress!)
            return Stopwatch.interleaved(minSeconds: minSeconds, ours: {
                LowRankKernels.project(xp, wp, hOut, n: n, k: width, r: r, alpha: 1)
            }, peer: {
                BLAS.sgemm(transA: false, transB: false, m: n, n: r, k: width, a: xp, lda: width, b: wp, ldb: r, c: hOut, ldc: r)
            })
        } }
        return [BenchRecord(bench: "kernels", case: "LoRA project X·W N \(n) width \(width) r \(r)", unit: "GFLOP/s",
                            alignkit: flops / t.ours / 1e9, peer: "OpenBLAS sgemm", peerValue: flops / t.peer / 1e9, limit: peak)]
    }
}
