// GemvKernels: y = W·x for a row-major W [N, K] — the one-row products of batch-1 decoding (every
// projection and the LM head) — as N dot products, the layout of nn.Linear weights, so W streams from
// memory once in order. Decoding is bound by reading the weights (each token reads all of them once), so
// the kernel's job is to keep loads in flight: four rows at a time, each with a 16-lane accumulator
// (two AVX registers, or four SSE ones), share every load of x; the rows are split into chunks that
// `Parallel.threads` threads of the persistent `WorkerPool` claim. This is the blocking of OpenBLAS's
// sgemv_t kernels and of llama.cpp's ggml_vec_dot for f32 rows, written here in Swift SIMD.
//
// Every row's sum is formed the same way (16 lane partial sums over j ≡ lane mod 16, their `sum()`, then
// the K mod 16 tail in order), whichever thread or block computes it, so results do not depend on the
// thread count. They differ from sgemm's and sgemv's in the last bits (another summation order).
// Multiply-adds are fused when built with `-D ALIGNKIT_FMA` (see SIMDMath.fma).

/// Matrix–vector products on raw buffers.
public enum GemvKernels {
    /// Sixteen float lanes: two AVX registers (one AVX-512 register when the compiler may use them).
    public typealias Lanes = SIMD16<Float>

    /// y[r] = Σ_j w[r·k + j] · x[j] for r in `rows` (w row-major with row length k).
    public static func rowDots(w: UnsafePointer<Float>, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>,
                               k: Int, rows: Range<Int>) {
        var r = rows.lowerBound
        while r + 4 <= rows.upperBound {
            dots4(w + r * k, x, y + r, k: k)
            r += 4
        }
        while r < rows.upperBound {
            y[r] = dot(w + r * k, x, k: k)
            r += 1
        }
    }

    /// y = W·x for W [n, k] row-major, rows split over the pool's threads when the product is large enough.
    public static func gemv(w: UnsafePointer<Float>, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>,
                            n: Int, k: Int) {
        #if os(Linux)
        let threads = min(Parallel.threads, WorkerPool.shared.workers + 1)
        if threads > 1 && n * k >= Parallel.grain && n >= 32 {
            // Chunks of a multiple of 4 rows, several per thread so a busy or late thread costs little.
            let chunks = min(8 * threads, n / 16)
            let rowsPerChunk = ((n + chunks - 1) / chunks + 3) & ~3
            WorkerPool.shared.run(chunks: (n + rowsPerChunk - 1) / rowsPerChunk) { c in
                rowDots(w: w, x: x, y: y, k: k, rows: c * rowsPerChunk ..< min(n, (c + 1) * rowsPerChunk))
            }
            return
        }
        #endif
        rowDots(w: w, x: x, y: y, k: k, rows: 0 ..< n)
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> Lanes {
        UnsafeRawPointer(p).loadUnaligned(as: Lanes.self)
    }

    @inline(__always)
    static func multiplyAdd(_ acc: inout Lanes, _ a: Lanes, _ b: Lanes) {
        #if ALIGNKIT_FMA
        acc.addProduct(a, b)
        #else
        acc += a * b  // without the FMA target feature, addProduct would be a libm call per lane
        #endif
    }

    /// Four consecutive rows starting at w (row length k) dotted with x into y[0..<4].
    @inline(__always)
    static func dots4(_ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, k: Int) {
        let (w0, w1, w2, w3) = (w, w + k, w + 2 * k, w + 3 * k)
        var a0 = Lanes(), a1 = Lanes(), a2 = Lanes(), a3 = Lanes()
        var j = 0
        while j + 16 <= k {
            let xv = load(x + j)
            multiplyAdd(&a0, load(w0 + j), xv)
            multiplyAdd(&a1, load(w1 + j), xv)
            multiplyAdd(&a2, load(w2 + j), xv)
            multiplyAdd(&a3, load(w3 + j), xv)
            j += 16
        }
        var s0 = a0.sum(), s1 = a1.sum(), s2 = a2.sum(), s3 = a3.sum()
        while j < k {
            s0 += w0[j] * x[j]; s1 += w1[j] * x[j]; s2 += w2[j] * x[j]; s3 += w3[j] * x[j]
            j += 1
        }
        y[0] = s0; y[1] = s1; y[2] = s2; y[3] = s3
    }

    /// One row dotted with x, summed in the same order as each row of `dots4`.
    @inline(__always)
    static func dot(_ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>, k: Int) -> Float {
        var a = Lanes()
        var j = 0
        while j + 16 <= k {
            multiplyAdd(&a, load(w + j), load(x + j))
            j += 16
        }
        var s = a.sum()
        while j < k { s += w[j] * x[j]; j += 1 }
        return s
    }
}
