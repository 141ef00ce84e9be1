// BLAS: the sgemm entry point, OpenBLAS on Linux and Accelerate on macOS.
// Transposes are passed to BLAS as flags so no operand is ever copied.
#if canImport(Accelerate)
import Accelerate
#else
import CBLAS
#endif

/// Thin wrappers over CBLAS. All matrices are row-major.
public enum BLAS {
    /// C[M×N] = alpha · op(A) · op(B) + beta · C, where op(A) is M×K and op(B) is K×N.
    /// `lda`/`ldb`/`ldc` are the row strides of A, B and C as stored.
    @inlinable
    public static func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
                             a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                             beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        if m == 0 || n == 0 { return }
        if k == 0 {  // BLAS may skip beta scaling when k == 0; do it ourselves
            // With beta == 0, C is output only (reference BLAS: "when BETA is supplied as zero then C
            // need not be set on input"): assign zeros, never 0·C, which is NaN for a NaN or ±inf left
            // in an uninitialized or recycled result buffer.
            for i in 0 ..< m {
                let row = c + i * ldc
                if beta == 0 { row.update(repeating: 0, count: n) } else { for j in 0 ..< n { row[j] *= beta } }
            }
            return
        }
        let t0 = Profile.isEnabled ? Profile.now() : 0
        defer { if Profile.isEnabled { Profile.sgemm(m: m, n: n, k: k, transA: transA, transB: transB, seconds: Profile.now() - t0) } }
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// The BLAS library in use, for run records and benchmark reports.
    public static var vendor: String {
        #if canImport(Accelerate)
        return "Accelerate"
        #else
        return "OpenBLAS"
        #endif
    }
}
