// BLAS.sgemm splits a large product into row or column blocks run on the worker pool (Kernels/BLAS.swift).
// These tests check the split result against a Float64 reference for every transpose pair, with padded
// leading dimensions and beta ≠ 0 (so each block must find its own rows of A, columns of B and C), and
// that a product inside a caller's parallel region is not split.
#if os(Linux)
@testable import AlignTensor
import CBLAS
import Testing

@Suite("sgemm split over the worker pool")
struct BLASSplitTests {
    /// C = alpha·op(A)·op(B) + beta·C in Float64 for row-major operands with the given strides.
    static func reference(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: [Float], lda: Int,
                          b: [Float], ldb: Int, beta: Float, c: [Float], ldc: Int) -> [Double] {
        var out = c.map(Double.init)
        for i in 0 ..< m {
            for j in 0 ..< n {
                var s = 0.0
                for p in 0 ..< k {
                    let x = transA ? a[p * lda + i] : a[i * lda + p]
                    let y = transB ? b[j * ldb + p] : b[p * ldb + j]
                    s += Double(x) * Double(y)
                }
                out[i * ldc + j] = Double(alpha) * s + Double(beta) * Double(c[i * ldc + j])
            }
        }
        return out
    }

    static func values(_ count: Int, seed: Int) -> [Float] {
        (0 ..< count).map { Float((($0 &* 2_654_435_761 &+ seed &* 40_503) >> 7) % 1_000) / 500 - 1 }
    }

    /// (m, n, k): taller than wide (rows split) and wider than tall (columns split), with ragged block ends.
    @Test("split products equal a Float64 reference for every transpose pair",
          arguments: [(203, 131, 97), (77, 290, 113)], [(false, false), (false, true), (true, false), (true, true)])
    func splitMatchesReference(shape: (Int, Int, Int), trans: (Bool, Bool)) throws {
        let (m, n, k) = shape, (ta, tb) = trans
        #expect(BLAS.splitParts(m: m, n: n, k: k) == min(Parallel.threads, WorkerPool.shared.workers + 1),
                "the shape is large enough to split on this machine")
        let lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 5, ldc = n + 2
        let a = Self.values((ta ? k : m) * lda, seed: 1), b = Self.values((tb ? n : k) * ldb, seed: 2)
        var c = Self.values(m * ldc, seed: 3)
        let expected = Self.reference(transA: ta, transB: tb, m: m, n: n, k: k, alpha: 0.75, a: a, lda: lda,
                                      b: b, ldb: ldb, beta: 0.5, c: c, ldc: ldc)
        c.withUnsafeMutableBufferPointer { pc in
            BLAS.sgemm(transA: ta, transB: tb, m: m, n: n, k: k, alpha: 0.75, a: a, lda: lda, b: b, ldb: ldb,
                       beta: 0.5, c: pc.baseAddress!, ldc: ldc)
        }
        var worst = 0.0
        for i in 0 ..< m {
            for j in 0 ..< ldc {
                let got = Double(c[i * ldc + j]), want = expected[i * ldc + j]
                if j >= n { #expect(got == want, "padding column \(j) of row \(i) untouched"); continue }
                worst = max(worst, abs(got - want) / max(1, abs(want)))
            }
        }
        #expect(worst < 1e-5, "largest relative error \(worst)")
    }

    /// `bench gemm` times OpenBLAS with its own threads through this; AlignKit's products need it back at one
    /// thread after, or its idle server threads spin beside the worker pool again.
    @Test("withOpenBLASThreads sets OpenBLAS's threads for its body and restores one after")
    func openBLASThreadsRestored() {
        _ = BLAS.singleThreadedOpenBLAS
        #expect(openblas_get_num_threads() == 1)
        let inside = BLAS.withOpenBLASThreads(2) { openblas_get_num_threads() }
        #expect(inside == 2 || ProcessInfoCores.count == 1, "OpenBLAS caps its threads at the cores")
        #expect(openblas_get_num_threads() == 1)
    }

    @Test("no split inside a caller's parallel region, nor for small products")
    func serialRegionsAndSmallProducts() {
        #expect(BLAS.splitParts(m: 64, n: 64, k: 64) == 1)
        BLAS.withoutSplitting { #expect(BLAS.splitParts(m: 2048, n: 2048, k: 2048) == 1) }
    }
}
#endif
