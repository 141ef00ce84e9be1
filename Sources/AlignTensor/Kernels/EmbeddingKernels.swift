// Embedding kernels: row gather (forward) and scatter-add (backward), as torch.nn.functional.embedding
// and its embedding_dense_backward (aten/src/ATen/native/Embedding.cpp). Ids were validated by
// the op. The scatter-add splits the work by column ranges, so every weight row is written by
// one thread and the summation order per element is token order whatever the thread count:
// results are bitwise reproducible.

/// Gather and scatter-add over a weight matrix [V, C].
enum EmbeddingKernels {
    /// out[i, :] = weight[ids[i], :] for each id.
    static func gather(weight: UnsafeBufferPointer<Float>, ids: UnsafeBufferPointer<Int32>, c: Int,
                       out: UnsafeMutableBufferPointer<Float>) {
        guard let w = weight.baseAddress, let o = out.baseAddress, c > 0 else { return }
        Parallel.forRanges(ids.count, costPerItem: c) { r in
            for i in r {
                (o + i * c).update(from: w + Int(ids[i]) * c, count: c)
            }
        }
    }

    /// dweight[ids[i], :] += g[i, :] for each id except `skip` (torch's padding_idx); `dweight`
    /// must start zeroed. Parallel over column ranges: no two threads touch one element.
    static func scatterAdd(g: UnsafeBufferPointer<Float>, ids: UnsafeBufferPointer<Int32>, c: Int,
                           skip: Int32?, dweight: UnsafeMutableBufferPointer<Float>) {
        guard let gp = g.baseAddress, let d = dweight.baseAddress, c > 0 else { return }
        // Columns per chunk stay a multiple of 16 so chunks do not share cache lines needlessly.
        let groups = (c + 15) / 16
        Parallel.forRanges(groups, costPerItem: 16 * ids.count) { r in
            let lo = r.lowerBound * 16, hi = Swift.min(r.upperBound * 16, c)
            for i in 0 ..< ids.count where ids[i] != skip {
                let src = gp + i * c, dst = d + Int(ids[i]) * c
                for j in lo ..< hi { dst[j] += src[j] }
            }
        }
    }
}
