// RopeKernels: rotary position embeddings in transformers' half-rotation layout, forward and
// backward side by side. Port of the math in transformers' `apply_rotary_pos_emb`
// (models/llama/modeling_llama.py, v4.4x–5.x):
//   rotate_half(x) = cat(−x[D/2:], x[:D/2]);   y = x ⊙ cos + rotate_half(x) ⊙ sin
// where cos/sin rows hold cat(freqs, freqs), so for i < D/2 (h = D/2):
//   y[i]   = x[i]·cos[i]     − x[i+h]·sin[i]
//   y[i+h] = x[i+h]·cos[i+h] + x[i]·sin[i+h]
// The map is linear in x, so the backward is its transpose:
//   dx[i]   = dy[i]·cos[i]     + dy[i+h]·sin[i+h]
//   dx[i+h] = dy[i+h]·cos[i+h] − dy[i]·sin[i]
// (GPT-J's interleaved-pairs layout is deliberately not supported: no model we load uses it.)

/// Where row (b, h, t) of a [B, H, T, D] or [B, T, H, D] tensor starts, and how the cos/sin
/// table is indexed for it.
struct RopeGeometry {
    let batch: Int, heads: Int, seq: Int, dim: Int
    let layout: HeadLayout
    /// Elements between batches of the [B, T, D] table; 0 when one [T, D] table serves all.
    let tableBatchStride: Int

    var rows: Int { batch * heads * seq }

    /// The cos/sin row (offset into the table) for memory row `r` of x.
    @inline(__always) func tableOffset(row r: Int) -> Int {
        let t = layout == .bhtd ? r % seq : (r / heads) % seq
        let b = r / (heads * seq)
        return b * tableBatchStride + t * dim
    }
}

enum RopeKernels {
    /// out = x ⊙ cos + rotate_half(x) ⊙ sin, row by row; rows are split across threads.
    static func ropeForward(out: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, cos: UnsafePointer<Float>,
                            sin: UnsafePointer<Float>, geometry g: RopeGeometry) {
        let d = g.dim, h = d / 2
        Parallel.forRanges(g.rows, costPerItem: 3 * d) { range in
            for r in range {
                let xr = x + r * d, yr = out + r * d
                let c = cos + g.tableOffset(row: r), s = sin + g.tableOffset(row: r)
                var i = 0
                while i + 8 <= h {  // eight lanes: the same products and sums as the scalar tail, bit for bit
                    let (x0, x1) = (SIMDMath.load(xr + i), SIMDMath.load(xr + i + h))
                    SIMDMath.store(x0 * SIMDMath.load(c + i) - x1 * SIMDMath.load(s + i), yr + i)
                    SIMDMath.store(x1 * SIMDMath.load(c + i + h) + x0 * SIMDMath.load(s + i + h), yr + i + h)
                    i += 8
                }
                while i < h {
                    yr[i] = xr[i] * c[i] - xr[i + h] * s[i]
                    yr[i + h] = xr[i + h] * c[i + h] + xr[i] * s[i + h]
                    i += 1
                }
            }
        }
    }

    /// dx = transpose of the rotation applied to dout (see the header).
    static func ropeBackward(dx: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>, cos: UnsafePointer<Float>,
                             sin: UnsafePointer<Float>, geometry g: RopeGeometry) {
        let d = g.dim, h = d / 2
        Parallel.forRanges(g.rows, costPerItem: 3 * d) { range in
            for r in range {
                let gr = dout + r * d, dr = dx + r * d
                let c = cos + g.tableOffset(row: r), s = sin + g.tableOffset(row: r)
                var i = 0
                while i + 8 <= h {
                    let (g0, g1) = (SIMDMath.load(gr + i), SIMDMath.load(gr + i + h))
                    SIMDMath.store(g0 * SIMDMath.load(c + i) + g1 * SIMDMath.load(s + i + h), dr + i)
                    SIMDMath.store(g1 * SIMDMath.load(c + i + h) - g0 * SIMDMath.load(s + i), dr + i + h)
                    i += 8
                }
                while i < h {
                    dr[i] = gr[i] * c[i] + gr[i + h] * s[i + h]
                    dr[i + h] = gr[i + h] * c[i + h] - gr[i] * s[i]
                    i += 1
                }
            }
        }
    }

    /// Accumulates the table gradients dcos += dout ⊙ x and dsin += dout ⊙ rotate_half(x), summed
    /// over heads (and over the batch for a shared table). Single-threaded: cos/sin are normally
    /// constants, so this only runs when a caller differentiates through the table on purpose.
    static func ropeTableBackward(dcos: UnsafeMutablePointer<Float>?, dsin: UnsafeMutablePointer<Float>?,
                                  dout: UnsafePointer<Float>, x: UnsafePointer<Float>, geometry g: RopeGeometry) {
        let d = g.dim, h = d / 2
        for r in 0 ..< g.rows {
            let xr = x + r * d, gr = dout + r * d, o = g.tableOffset(row: r)
            if let dc = dcos.map({ $0 + o }) {
                for i in 0 ..< d { dc[i] += gr[i] * xr[i] }
            }
            if let ds = dsin.map({ $0 + o }) {
                for i in 0 ..< h {
                    ds[i] -= gr[i] * xr[i + h]
                    ds[i + h] += gr[i + h] * xr[i]
                }
            }
        }
    }
}
