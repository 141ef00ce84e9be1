// LowRankKernels (LoRA's rank-r products) against cblas_sgemm on the same operands: project, expand (β 0 and
// 1), and the two outer-product reductions, at sizes that split rows across threads and over the reduction
// blocks unevenly (N 701), r 16 and an odd r 5.
@testable import AlignTensor
import AlignTestSupport
import Testing

@Suite("LoRA rank-r kernels")
struct LowRankKernelTests {
    static func random(_ n: Int, seed: UInt64) -> [Float] {
        var g = RandomGenerator(seed: seed)
        return (0 ..< n).map { _ in g.nextUniform() * 2 - 1 }
    }

    /// alpha · op(A)·op(B) (+ beta · c) by BLAS, row-major.
    static func sgemm(_ a: [Float], _ b: [Float], transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                      alpha: Float, beta: Float = 0, c: [Float]? = nil) -> [Float] {
        var out = c ?? [Float](repeating: 0, count: m * n)
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in out.withUnsafeMutableBufferPointer { po in
            BLAS.sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: pa.baseAddress!,
                       lda: transA ? m : k, b: pb.baseAddress!, ldb: transB ? k : n, beta: beta, c: po.baseAddress!, ldc: n)
        } } }
        return out
    }

    /// Within 1e-5 of the largest expected magnitude (sums of up to 701 products in another order than sgemm's).
    static func close(_ x: [Float], _ y: [Float], _ what: String) {
        let scale = Double(y.map(abs).max() ?? 0)
        let r = compareClose(x, y.map(Double.init), atol: 1e-5 * max(scale, 1), rtol: 1e-5)
        #expect(r.passed, "\(what): \(r)")
    }

    @Test("each kernel equals sgemm", arguments: [16, 5])
    func kernelsEqualSgemm(r: Int) {
        let (n, k, m) = (701, 96, 200)
        let x = Self.random(n * k, seed: 1), w = Self.random(k * r, seed: 2)   // X [N, K], W [K, r]
        let h = Self.random(n * r, seed: 3), v = Self.random(r * m, seed: 4)   // H [N, r], V [r, M]
        let xm = Self.random(n * m, seed: 5), c0 = Self.random(n * m, seed: 6)  // X [N, M], C [N, M]
        var out = [Float](repeating: .nan, count: n * r)
        LowRankKernels.project(x, w, &out, n: n, k: k, r: r, alpha: 0.5)
        Self.close(out, Self.sgemm(x, w, transA: false, transB: false, m: n, n: r, k: k, alpha: 0.5), "project")
        for beta: Float in [0, 1] {
            var c = beta == 0 ? [Float](repeating: .nan, count: n * m) : c0
            LowRankKernels.expand(h, v, &c, n: n, m: m, r: r, alpha: 2, beta: beta)
            Self.close(c, Self.sgemm(h, v, transA: false, transB: false, m: n, n: m, k: r, alpha: 2, beta: beta, c: c0),
                       "expand β \(beta)")
        }
        var rows = [Float](repeating: .nan, count: r * m)
        LowRankKernels.outerRows(h, xm, &rows, n: n, m: m, r: r, alpha: 3)
        Self.close(rows, Self.sgemm(h, xm, transA: true, transB: false, m: r, n: m, k: n, alpha: 3), "outerRows")
        var cols = [Float](repeating: .nan, count: m * r)
        LowRankKernels.outerColumns(xm, h, &cols, n: n, m: m, r: r, alpha: 3)
        Self.close(cols, Self.sgemm(xm, h, transA: true, transB: false, m: m, n: r, k: n, alpha: 3), "outerColumns")
        #expect(LowRankKernels.transposed(v, rows: r, cols: m)[1 * r + 2] == v[2 * m + 1])
    }
}
