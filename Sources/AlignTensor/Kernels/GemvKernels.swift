// GemvKernels: y = W·x for a row-major W [N, K] — the one-row products of batch-1 decoding (every
// projection and the LM head) — as N dot products, the layout of nn.Linear weights. Decoding is bound by
// reading the weights (each token reads all of them once), so the kernel's one job is to stream W from
// memory as fast as the machine reads: rows are read one after the other, so each thread's chunk of W is a
// single sequential stream, which the hardware prefetchers follow best. (Interleaving four rows to share
// the loads of x — OpenBLAS's sgemv_t blocking, and this kernel's first version — makes four short streams
// of K floats each, 2.3 KB at K = 576; on this 2-core EPYC it read 28 GB/s where single rows read 54 GB/s,
// the rate of a plain two-thread sum over 512 MB in the same run. x stays in L1, so reloading it is free.)
// Rows are split into chunks that `Parallel.threads` threads of the persistent `WorkerPool` claim.
//
// `gemv(_ products:)` runs several products as one pool job — the q/k/v or gate/up projections of a
// decoding step, which share x — with optional per-row epilogues (bias, residual), so a step synchronises
// its threads once per group of products instead of once per product.
//
// Every row's sum is formed the same way (16 lane partial sums over j ≡ lane mod 16, their `sum()`, then
// the K mod 16 tail in order), whichever thread or chunk computes it, so results do not depend on the
// thread count or on which products share a job. They differ from sgemm's and sgemv's in the last bits
// (another summation order). Multiply-adds are fused when built with `-D ALIGNKIT_FMA` (see SIMDMath.fma).

/// Matrix–vector products on raw buffers.
public enum GemvKernels {
    /// Sixteen float lanes: two AVX registers (one AVX-512 register when the compiler may use them).
    public typealias Lanes = SIMD16<Float>

    /// One product of a fused job: y[r] = residual[r] + (W[r]·x + bias[r]) for r < n, W [n, k] row-major,
    /// where a nil bias or residual is left out — the order of `(x·Wᵀ + b)` then `h + y` in the layers.
    public struct Product {
        public var w: UnsafePointer<Float>, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>
        public var n: Int, k: Int
        /// [n], added to each dot product, or nil.
        public var bias: UnsafePointer<Float>?
        /// [n], added last (the residual stream), or nil.
        public var residual: UnsafePointer<Float>?

        public init(w: UnsafePointer<Float>, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, n: Int, k: Int,
                    bias: UnsafePointer<Float>? = nil, residual: UnsafePointer<Float>? = nil) {
            (self.w, self.x, self.y, self.n, self.k, self.bias, self.residual) = (w, x, y, n, k, bias, residual)
        }

        /// Rows `rows` of this product, epilogue included.
        @inline(__always)
        func run(rows: Range<Int>) {
            for r in rows {
                var s = dot(w + r * k, x, k: k)
                if let bias { s += bias[r] }
                if let residual { s = residual[r] + s }
                y[r] = s
            }
        }
    }

    /// y[r] = Σ_j w[r·k + j] · x[j] for r in `rows` (w row-major with row length k).
    public static func rowDots(w: UnsafePointer<Float>, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>,
                               k: Int, rows: Range<Int>) {
        for r in rows { y[r] = dot(w + r * k, x, k: k) }
    }

    /// y = W·x for W [n, k] row-major, rows split over the pool's threads when the product is large enough.
    public static func gemv(w: UnsafePointer<Float>, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>,
                            n: Int, k: Int) {
        gemv([Product(w: w, x: x, y: y, n: n, k: k)])
    }

    /// Every product in `products`, as one job of the worker pool when they are large enough together.
    public static func gemv(_ products: [Product]) {
        #if os(Linux)
        let threads = min(Parallel.threads, WorkerPool.shared.workers + 1)
        let elements = products.reduce(0) { $0 + $1.n * $1.k }
        if threads > 1 && elements >= Parallel.grain && products.reduce(0, { $0 + $1.n }) >= 32 {
            let plan = ChunkPlan(products, chunks: 8 * threads)
            WorkerPool.shared.run(chunks: plan.count) { c in
                let (p, rows) = plan.rows(of: c)
                products[p].run(rows: rows)
            }
            return
        }
        #endif
        for p in products { p.run(rows: 0 ..< p.n) }
    }

    /// Chunks of the products' rows: about `chunks` in all, in proportion to each product's size (at least
    /// one per product), so a busy or late thread costs little; chunk c covers rows of one product only.
    struct ChunkPlan {
        /// First chunk index of each product, then the total.
        var starts: [Int] = [0]
        var rowCounts: [Int] = []

        init(_ products: [Product], chunks: Int) {
            let elements = max(1, products.reduce(0) { $0 + $1.n * $1.k })
            for p in products {
                let share = (p.n * p.k * chunks + elements - 1) / elements
                starts.append(starts[starts.count - 1] + max(1, min(p.n, share)))
                rowCounts.append(p.n)
            }
        }

        var count: Int { starts[starts.count - 1] }

        /// The product and the rows of chunk c.
        func rows(of c: Int) -> (Int, Range<Int>) {
            var p = 0
            while starts[p + 1] <= c { p += 1 }
            let (i, m, n) = (c - starts[p], starts[p + 1] - starts[p], rowCounts[p])
            return (p, n * i / m ..< n * (i + 1) / m)
        }
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

    /// One row dotted with x: 16 lane partial sums, their `sum()`, then the K mod 16 tail in order.
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
