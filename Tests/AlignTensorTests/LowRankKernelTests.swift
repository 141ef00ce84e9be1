// LowRankKernels.project (LoRA's rank-r projection) against cblas_sgemm on the same operands, at a row count
// that leaves a partial row quad and splits unevenly across threads (N 701), for r 16 (16-lane tiles only),
// 24 (16-lane then 8-lane tiles), 8 (8-lane only) and an odd r 5 (plain loops).
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

    @Test("project equals sgemm", arguments: [16, 24, 8, 5])
    func kernelsEqualSgemm(r: Int) {
        let (n, k, m) = (701, 96, 200)
        let x = Self.random(n * k, seed: 1), w = Self.random(k * r, seed: 2)   // X [N, K], W [K, r]
        let v = Self.random(r * m, seed: 4)   // V [r, M]
        var out = [Float](repeating: .nan, count: n * r)
        LowRankKernels.project(x, w, &out, n: n, k: k, r: r, alpha: 0.5)
        Self.close(out, Self.sgemm(x, w, transA: false, transB: false, m: n, n: r, k: k, alpha: 0.5), "project")
        #expect(LowRankKernels.transposed(v, rows: r, cols: m)[1 * r + 2] == v[2 * m + 1])
    }
}
