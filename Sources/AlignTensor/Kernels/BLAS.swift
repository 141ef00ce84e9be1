// BLAS: the sgemm entry point, OpenBLAS on Linux and Accelerate on macOS.
// Transposes are passed to BLAS as flags so no operand is ever copied.
//
// Threads (Linux): OpenBLAS is held to ONE thread and a large product is split into row or column
// blocks that the persistent WorkerPool runs, each a single-threaded sgemm. OpenBLAS's own server
// threads spin on sched_yield for 2^28 cycles (~0.1 s) after every threaded call (blas_server.c,
// THREAD_TIMEOUT 28), and a training step alternates sgemms with elementwise kernels every few ms, so a
// spinning BLAS thread competed with the kernels' threads for the whole step: on a 135M DPO step on 2
// cores, 31 s of system time per 85 s run, ~2× slower SwiGLU/adds, and attention's single-threaded
// sgemms at 15–45 GFLOP/s (ALIGNKIT_PROFILE). Row/column blocks leave each C element's K-sum to one
// call, the partition OpenBLAS's threaded driver uses too; measured 2-way split against OpenBLAS's 2
// threads on the step's shapes: 0.95–1.04× (scratch benchmark, 2026-11-29).
#if canImport(Accelerate)
import Accelerate
#else
import CBLAS
import Synchronization
#endif

/// Thin wrappers over CBLAS. All matrices are row-major.
public enum BLAS {
    /// C[M×N] = alpha · op(A) · op(B) + beta · C, where op(A) is M×K and op(B) is K×N.
    /// `lda`/`ldb`/`ldc` are the row strides of A, B and C as stored.
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
        #if canImport(CBLAS)
        _ = singleThreadedOpenBLAS
        let parts = splitParts(m: m, n: n, k: k)
        if parts > 1 {
            // Blocks of C's rows (op(A)'s rows) when M ≥ N, else of its columns (op(B)'s columns), on
            // 16-row/column boundaries (a whole number of OpenBLAS's 16×4 sgemm tiles either way); each block is a
            // complete sgemm of the same K. Boundaries on multiples of 64 split a 576-wide product 256 | 320, and
            // the longer block set the time: 115 GFLOP/s for 576×576×3072 TN against OpenBLAS's 131–146.
            let alongRows = m >= n, total = alongRows ? m : n
            WorkerPool.shared.run(chunks: parts) { part in
                let lo = part == 0 ? 0 : (total * part / parts) & ~15
                let hi = part == parts - 1 ? total : (total * (part + 1) / parts) & ~15
                guard lo < hi else { return }
                if alongRows {
                    call(transA, transB, hi - lo, n, k, alpha, transA ? a + lo : a + lo * lda, lda, b, ldb, beta, c + lo * ldc, ldc)
                } else {
                    call(transA, transB, m, hi - lo, k, alpha, a, lda, transB ? b + lo * ldb : b + lo, ldb, beta, c + lo, ldc)
                }
            }
            return
        }
        #endif
        call(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }

    /// One cblas_sgemm (row-major), on the calling thread when OpenBLAS is held to one thread.
    @inline(__always)
    static func call(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                     _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int, _ beta: Float,
                     _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Runs `body` with OpenBLAS's own threads set to `threads`, then back to one: for benchmarks that time a
    /// direct cblas_sgemm call as a plain OpenBLAS user gets it. With Accelerate, just runs `body`.
    public static func withOpenBLASThreads<R>(_ threads: Int, _ body: () throws -> R) rethrows -> R {
        #if canImport(CBLAS)
        _ = singleThreadedOpenBLAS
        openblas_set_num_threads(Int32(max(1, threads)))
        defer { openblas_set_num_threads(1) }
        #endif
        return try body()
    }

    /// Runs `body` with products kept on their calling threads: for callers that run sgemm inside their own
    /// parallel region (AttentionKernels.parallelWithSerialBLAS), whose threads must not also feed the pool.
    static func withoutSplitting<R>(_ body: () throws -> R) rethrows -> R {
        #if canImport(CBLAS)
        serialRegions.add(1, ordering: .relaxed)
        defer { serialRegions.subtract(1, ordering: .relaxed) }
        #endif
        return try body()
    }

    #if canImport(CBLAS)
    /// Sets OpenBLAS to one thread before the first product (see the file comment).
    static let singleThreadedOpenBLAS: Void = openblas_set_num_threads(1)

    /// Open `withoutSplitting` regions: while > 0, products are not split.
    static let serialRegions = Atomic<Int>(0)

    /// Below this many multiply-adds a product runs on one thread (~30 µs at ~70 GFLOP/s per core).
    static let splitMinimum = 1 << 20

    /// How many blocks to split a product into: one per thread when it is large enough, has at least 64
    /// rows/columns per block along its longer side, and no caller-side parallel region is open.
    static func splitParts(m: Int, n: Int, k: Int) -> Int {
        let threads = min(Parallel.threads, WorkerPool.shared.workers + 1)
        guard threads > 1, m * n * k >= splitMinimum,
              serialRegions.load(ordering: .relaxed) == 0 else { return 1 }
        return max(1, min(threads, max(m, n) / 64))
    }
    #endif

    /// The BLAS library in use, for run records and benchmark reports.
    public static var vendor: String {
        #if canImport(Accelerate)
        return "Accelerate"
        #else
        return "OpenBLAS"
        #endif
    }
}
