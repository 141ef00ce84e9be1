// NormKernels: RMSNorm and LayerNorm over the last axis, forward and backward side by side
// (llm.c's `layernorm_forward`/`layernorm_backward` pattern, train_gpt2.c). The forwards save
// per-row statistics (mean, rstd) so the backwards never recompute them.
//
// RMSNorm mirrors transformers' LlamaRMSNorm (models/llama/modeling_llama.py):
//   y = w ⊙ x · rsqrt(mean(x²) + eps)
// LayerNorm mirrors torch.nn.functional.layer_norm (biased variance, eps inside the sqrt):
//   y = w ⊙ (x − mean) · rsqrt(var + eps) + b
// Both treat the input as `rows` contiguous rows of `channels` floats. Weight and bias are
// always given (the ops pass ones/zeros when a layer has none) so the inner loops stay
// branch-free and vectorize; their gradients are optional. Rows are split across threads; the weight and bias gradients
// are summed per chunk of rows into private partial buffers and then reduced, so no two
// threads ever write the same float.

enum NormKernels {
    // MARK: RMSNorm

    /// out[r, c] = w[c] · x[r, c] · rstd[r], rstd[r] = 1 / sqrt(mean_c x[r, c]² + eps).
    static func rmsNormForward(out: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>,
                               x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                               rows: Int, channels c: Int, eps: Float) {
        Parallel.forRanges(rows, costPerItem: 3 * c) { range in
            for r in range {
                let xr = x + r * c, yr = out + r * c
                let ss = GemvKernels.dot(xr, xr, k: c)  // lane sums, not one chain of dependent adds
                let s = 1 / (ss / Float(c) + eps).squareRoot()
                rstd[r] = s
                for j in 0 ..< c { yr[j] = weight[j] * (xr[j] * s) }
            }
        }
    }

    /// With x̂ = x·rstd and g = dout ⊙ w:
    ///   dx = rstd · (g − x̂ · mean_c(g ⊙ x̂)),   dw = Σ_rows dout ⊙ x̂   (accumulated into `dweight`).
    /// Derivation: y = w·x·s(x) with ∂s/∂x_j = −s³·x_j / C.
    static func rmsNormBackward(dx: UnsafeMutablePointer<Float>, dweight: UnsafeMutablePointer<Float>?,
                                dout: UnsafePointer<Float>, x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                rstd: UnsafePointer<Float>, rows: Int, channels c: Int) {
        forRowChunks(rows: rows, channels: c, partials: dweight == nil ? 0 : 1) { range, partial in
            for r in range {
                let xr = x + r * c, gr = dout + r * c, dxr = dx + r * c
                let s = rstd[r]
                let k = dot(weight, gr, xr, c) * s / Float(c)  // mean_c g·x̂ = s · Σ_c w·dout·x / C
                for j in 0 ..< c {
                    let xhat = xr[j] * s
                    dxr[j] = s * (weight[j] * gr[j] - xhat * k)
                }
                if let dw = partial.first {
                    for j in 0 ..< c { dw[j] += gr[j] * xr[j] * s }
                }
            }
        } reduce: { partials in
            if let dw = dweight { addPartial(partials[0], into: dw, channels: c) }
        }
    }

    /// Σ_j a[j]·b[j]·c[j] in eight interleaved sums (then the tail): a single running Float sum is one chain of
    /// dependent adds, ~4 cycles an element, and was most of RMSNorm's time (as GemvKernels.dot for two operands).
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMDMath.Vector(repeating: 0)
        var j = 0
        while j + 8 <= n { acc += SIMDMath.load(a + j) * SIMDMath.load(b + j) * SIMDMath.load(c + j); j += 8 }
        var sum = acc.sum()
        while j < n { sum += a[j] * b[j] * c[j]; j += 1 }
        return sum
    }

    // MARK: LayerNorm

    /// out = w ⊙ (x − mean)·rstd + b per row; saves mean and rstd. Two-pass variance (mean first,
    /// then Σ(x − mean)²) so rows with a large common offset keep their precision.
    static func layerNormForward(out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>,
                                 rstd: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>,
                                 weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                                 rows: Int, channels c: Int, eps: Float) {
        Parallel.forRanges(rows, costPerItem: 4 * c) { range in
            for r in range {
                let xr = x + r * c, yr = out + r * c
                var sum: Float = 0
                for j in 0 ..< c { sum += xr[j] }
                let m = sum / Float(c)
                var v: Float = 0
                for j in 0 ..< c { let d = xr[j] - m; v += d * d }
                let s = 1 / (v / Float(c) + eps).squareRoot()
                mean[r] = m
                rstd[r] = s
                for j in 0 ..< c {
                    let xhat = (xr[j] - m) * s
                    yr[j] = xhat * weight[j] + bias[j]
                }
            }
        }
    }

    /// llm.c's layernorm_backward: with x̂ = (x − mean)·rstd and g = dout ⊙ w,
    ///   dx = rstd · (g − mean_c(g) − x̂ · mean_c(g ⊙ x̂)),  dw = Σ_rows dout ⊙ x̂,  db = Σ_rows dout.
    static func layerNormBackward(dx: UnsafeMutablePointer<Float>, dweight: UnsafeMutablePointer<Float>?,
                                  dbias: UnsafeMutablePointer<Float>?, dout: UnsafePointer<Float>,
                                  x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                  mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>, rows: Int, channels c: Int) {
        let wantW = dweight != nil, wantB = dbias != nil
        forRowChunks(rows: rows, channels: c, partials: (wantW ? 1 : 0) + (wantB ? 1 : 0)) { range, partial in
            let dw = wantW ? partial[0] : nil, db = wantB ? partial[wantW ? 1 : 0] : nil
            for r in range {
                let xr = x + r * c, gr = dout + r * c, dxr = dx + r * c
                let m = mean[r], s = rstd[r]
                var gMean: Float = 0, gxMean: Float = 0
                for j in 0 ..< c {
                    let g = weight[j] * gr[j]
                    gMean += g
                    gxMean += g * (xr[j] - m) * s
                }
                gMean /= Float(c)
                gxMean /= Float(c)
                for j in 0 ..< c {
                    let xhat = (xr[j] - m) * s
                    dxr[j] = s * (weight[j] * gr[j] - gMean - xhat * gxMean)
                }
                if let dw { for j in 0 ..< c { dw[j] += gr[j] * ((xr[j] - m) * s) } }
                if let db { for j in 0 ..< c { db[j] += gr[j] } }
            }
        } reduce: { partials in
            if let dw = dweight { addPartial(partials[0], into: dw, channels: c) }
            if let db = dbias { addPartial(partials[wantW ? 1 : 0], into: db, channels: c) }
        }
    }

    // MARK: Row chunking with per-chunk parameter-gradient partials

    /// Splits `rows` into chunks run in parallel. Each chunk gets `partials` zeroed buffers of
    /// `channels` floats of its own; `reduce` then receives, per partial index, all chunks'
    /// buffers laid out consecutively ([chunks × channels]) to sum.
    private static func forRowChunks(rows: Int, channels c: Int, partials: Int,
                                     _ body: (Range<Int>, [UnsafeMutablePointer<Float>]) -> Void,
                                     reduce: ([UnsafeBufferPointer<Float>]) -> Void) {
        let chunks = max(1, min(Parallel.threads, rows, rows * c / Parallel.grain))
        let scratch = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(1, partials * chunks * c))
        defer { scratch.deallocate() }
        scratch.initialize(repeating: 0)
        let base = scratch.baseAddress!
        Parallel.forRanges(chunks, costPerItem: Parallel.grain) { range in
            for k in range {
                let own = (0 ..< partials).map { p in base + (p * chunks + k) * c }
                body(rows * k / chunks ..< rows * (k + 1) / chunks, own)
            }
        }
        reduce((0 ..< partials).map { p in UnsafeBufferPointer(start: base + p * chunks * c, count: chunks * c) })
    }

    /// dst[j] += Σ_k parts[k·channels + j].
    private static func addPartial(_ parts: UnsafeBufferPointer<Float>, into dst: UnsafeMutablePointer<Float>, channels c: Int) {
        for k in 0 ..< parts.count / max(c, 1) {
            for j in 0 ..< c { dst[j] += parts[k * c + j] }
        }
    }
}
