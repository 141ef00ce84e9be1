// Softmax kernels over the last axis: the one-pass row statistics (max and Σexp) shared by the
// whole softmax family, and softmax / log-softmax forward and backward on rows of length n.
//
// Row statistics are "online" in the sense of Milakov & Gimelshein, "Online normalizer
// calculation for softmax" (arXiv:1805.02867): one pass over memory keeps a running max m and a
// sum s of exp(x − m), rescaling s by exp(m_old − m_new) when the max grows. We do it per block of
// `block` floats (2 KiB, L1-resident): block max first, then the block's exps against the updated
// max, so the rescale costs one scalar exp per block rather than one per element, and every
// vector exp has a non-positive argument. Row sums use the cheaper sum-only SIMDMath.exp2ForSum
// (≤ 3e-7 relative, see blockExpSum); rows written out as exps use SIMDMath.expNonPositive
// (≤ 2 ulp). Block sums go into a Double.
// Formulas mirror torch.softmax / torch.log_softmax (aten/src/ATen/native/cpu/SoftMaxKernel.cpp):
// softmax = exp(x − max) / Σ, log_softmax = (x − max) − log Σ.
import Foundation

/// Row kernels for softmax and log-softmax. Pointers address one row of `n` contiguous floats.
enum SoftmaxKernels {
    /// Floats per block of the online pass: fits in L1 beside the output.
    static let block = 512

    /// Max and Σ exp(x − max) of `scale`·x over a row (scale > 0), reading the row once.
    /// An all −inf row gives (−inf, 0); NaN anywhere makes the sum NaN.
    @inline(__always)
    static func rowStats(_ x: UnsafePointer<Float>, _ n: Int, scale: Float) -> (max: Float, sum: Double) {
        var m = -Float.infinity
        var s = 0.0
        var start = 0
        while start < n {
            let len = Swift.min(block, n - start)
            let p = x + start
            // scale > 0, and rounding is monotone, so max(scale·x) = scale·max(x) exactly.
            let bm = blockMax(p, len) * scale
            if bm > m {
                s *= Double(Foundation.exp(m - bm))  // exp(−inf) = 0 on the first block
                m = bm
            }
            if m > -Float.infinity { s += blockExpSum(p, len, scale: scale, shift: m) }
            start += len
        }
        return (m, s)
    }

    /// Max of `len` floats (−inf for an empty block).
    @inline(__always)
    static func blockMax(_ p: UnsafePointer<Float>, _ len: Int) -> Float {
        var v0 = SIMDMath.Vector(repeating: -.infinity), v1 = v0
        var k = 0
        while k + 16 <= len {
            let a = SIMDMath.load(p + k), b = SIMDMath.load(p + k + 8)
            v0 = SIMDMath.max(a, v0)
            v1 = SIMDMath.max(b, v1)
            k += 16
        }
        if k + 8 <= len {
            let a = SIMDMath.load(p + k)
            v0 = SIMDMath.max(a, v0)
            k += 8
        }
        var m = Swift.max(v0.max(), v1.max())
        while k < len { m = Swift.max(m, p[k]); k += 1 }
        return m
    }

    /// Σ exp(scale·x − shift) over `len` floats, where shift ≥ every scale·x.
    /// Each term is 2^y with y = x·L + C formed by one multiply-add, L = scale·log2 e and
    /// C = −shift·log2 e rounded to Float (SIMDMath.exp2ForSum, ≤ 3e-7 relative). Rounding L and C
    /// shifts every significant term (x ≈ shift/scale) by the same ε = (C − C_exact) +
    /// (shift/scale)·(L − L_exact) in y; the block sum is multiplied by 2^−ε (in Double) to undo it,
    /// leaving an error ≲ 3e-7 relative on the sum, i.e. absolute on its log. Four independent
    /// accumulators keep the vector adds from serializing the loop: the exp, not memory, bounds it.
    @inline(__always)
    static func blockExpSum(_ p: UnsafePointer<Float>, _ len: Int, scale: Float, shift: Float) -> Double {
        let log2e = 1.442_695_040_888_963_4  // log2(e) in Double
        let lExact = Double(scale) * log2e, cExact = -Double(shift) * log2e
        let l = Float(lExact), c = Float(cExact)
        let eps = (Double(c) - cExact) + Double(shift) / Double(scale) * (Double(l) - lExact)
        let lv = SIMDMath.Vector(repeating: l), cv = SIMDMath.Vector(repeating: c)
        var a0 = SIMDMath.Vector(repeating: 0), a1 = a0, a2 = a0, a3 = a0
        @inline(__always) func term(_ k: Int) -> SIMDMath.Vector {
            SIMDMath.exp2ForSum(SIMDMath.fma(SIMDMath.load(p + k), lv, cv))
        }
        var k = 0
        while k + 32 <= len {
            a0 += term(k)
            a1 += term(k + 8)
            a2 += term(k + 16)
            a3 += term(k + 24)
            k += 32
        }
        while k + 8 <= len {
            a0 += term(k)
            k += 8
        }
        var tail = 0.0  // exact-enough scalar tail; keeps −inf at exactly 0
        while k < len {
            tail += Double(SIMDMath.exp(p[k] * scale - shift))
            k += 1
        }
        return Double(((a0 + a1) + (a2 + a3)).sum()) * Foundation.exp2(-eps) + tail
    }

    /// y = exp(x − max) / Σ over one row, with one exp per element: the online pass writes
    /// exp(x − m_b) against the running max m_b of its block and remembers m_b; a second, cheap
    /// pass multiplies each block by exp(m_b − max) / Σ. (An all −inf row gives NaN, like torch.)
    static func softmaxRow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        let blocks = (n + block - 1) / block
        withUnsafeTemporaryAllocation(of: Float.self, capacity: Swift.max(blocks, 1)) { blockMax in
            var m = -Float.infinity
            var s = 0.0
            for b in 0 ..< blocks {
                let start = b * block, len = Swift.min(block, n - start)
                let bm = Self.blockMax(x + start, len)
                if bm > m {
                    s *= Double(Foundation.exp(m - bm))
                    m = bm
                }
                blockMax[b] = m
                if m == -.infinity {
                    (y + start).update(repeating: 0, count: len)  // rescaled to 0 or NaN below
                } else {
                    s += Double(writeExp(x + start, y + start, len, shift: m))
                }
            }
            for b in 0 ..< blocks {
                let start = b * block, len = Swift.min(block, n - start)
                let factor = Float(Double(Foundation.exp(blockMax[b] - m)) / s)
                for k in start ..< start + len { y[k] *= factor }
            }
        }
    }

    /// y = exp(x − shift) over `len` floats (shift ≥ every x); returns their sum.
    @inline(__always)
    static func writeExp(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ len: Int, shift: Float) -> Float {
        var acc = SIMDMath.Vector(repeating: 0)
        var k = 0
        while k + 8 <= len {
            let e = SIMDMath.expNonPositive(SIMDMath.load(x + k) - shift)
            SIMDMath.store(e, y + k)
            acc += e
            k += 8
        }
        if k < len {
            let e = SIMDMath.expNonPositive(SIMDMath.loadPartial(x + k, len - k, fill: -.infinity) - shift)
            SIMDMath.storePartial(e, y + k, len - k)
            acc += e
        }
        return acc.sum()
    }

    /// y = (x − max) − log Σ over one row.
    static func logSoftmaxRow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        let (m, s) = rowStats(x, n, scale: 1)
        let logS = Float(Foundation.log(s))
        for k in 0 ..< n { y[k] = (x[k] - m) - logS }
    }

    /// dx = y ⊙ (g − Σ g⊙y) over one row (the softmax VJP; y is the forward output).
    static func softmaxBackwardRow(_ y: UnsafePointer<Float>, _ g: UnsafePointer<Float>,
                                   _ dx: UnsafeMutablePointer<Float>, _ n: Int) {
        let d = Float(dot(g, y, n))
        for k in 0 ..< n { dx[k] = y[k] * (g[k] - d) }
    }

    /// dx = g − exp(y) · Σ g over one row (the log-softmax VJP; y ≤ 0 is the forward output).
    static func logSoftmaxBackwardRow(_ y: UnsafePointer<Float>, _ g: UnsafePointer<Float>,
                                      _ dx: UnsafeMutablePointer<Float>, _ n: Int) {
        let sg = Float(dot(g, nil, n))
        var k = 0
        while k + 8 <= n {
            let e = SIMDMath.expNonPositive(SIMDMath.load(y + k))
            SIMDMath.store(SIMDMath.load(g + k) - e * sg, dx + k)
            k += 8
        }
        while k < n { dx[k] = g[k] - SIMDMath.exp(y[k]) * sg; k += 1 }
    }

    /// Σ a⊙b (Σ a when b is nil): SIMD partial sums per block, accumulated across blocks in Double.
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>?, _ n: Int) -> Double {
        var total = 0.0
        var start = 0
        while start < n {
            let end = Swift.min(start + block, n)
            var acc = SIMDMath.Vector(repeating: 0)
            var k = start
            while k + 8 <= end {
                let va = SIMDMath.load(a + k)
                acc += b.map { va * SIMDMath.load($0 + k) } ?? va
                k += 8
            }
            var tail: Float = 0
            while k < end { tail += a[k] * (b?[k] ?? 1); k += 1 }
            total += Double(acc.sum() + tail)
            start = end
        }
        return total
    }

    /// Runs `body(row)` for each of `rows` rows of length `n`, rows split across threads.
    /// Cost per element ~4: an exp dominates every kernel here.
    @inline(__always)
    static func forRows(_ rows: Int, _ n: Int, _ body: (Int) -> Void) {
        Parallel.forRanges(rows, costPerItem: Swift.max(n, 1) * 4) { r in
            for row in r { body(row) }
        }
    }
}
