// AttentionKeyRuns: which key columns a causal row block can see at all, as a few contiguous runs, so the
// grouped attention kernels (AttentionGroupKernels, AttentionRecomputeKernels) skip spans the mask hides from
// every row of the block. The case it is for: a preference pair packed as [prompt | chosen | rejected] with a
// boolean mask (DecoderModel+PackedCompletions), where the rejected rows see the prompt and themselves but no
// chosen key. At 128 + 128 + 128 tokens and 64-row blocks, 256 of the 1,344 key columns the causal blocks
// compute are hidden that way (19% of attention's products); padded keys (a key-padding mask) are another.
//
// A column is in a run when some row of the block sees it (mask ≠ 0 within that row's causal limit). A column
// outside every run is masked for the whole block: its scores get −inf from the mask anyway (MaskView.apply
// writes −inf wherever the mask is 0, whatever the score held), its probabilities are 0, and so its terms in
// P·V, dP, dQ, dK and dV are zero — skipping them changes only the order of the sums over the other columns.
// Runs are used only when they hide at least an eighth of a block's keys in at most `maxRuns` runs; otherwise
// the block is one run 0..<n, exactly as before. Per-head masks (a mask with a head stride) and additive masks
// always take the single run.

/// The visible key runs of every (batch row, row block) of one attention call.
struct AttentionKeyRuns {
    /// Runs of all blocks, block after block; block i's are `runs[start[i] ..< start[i + 1]]`.
    private var runs: [Range<Int>] = []
    private var start: [Int] = [0]
    private let blocksPerRow: Int

    /// At most this many runs per block (more would make the products too small to pay).
    static let maxRuns = 4

    init(dims a: AttentionDims, mask: MaskView) {
        blocksPerRow = (a.queryLength + a.blockSize - 1) / a.blockSize
        let skips = mask.data != nil && mask.headStride == 0 && (mask.kind == .boolean || mask.kind == .keyPadding)
        var seen = [Float](repeating: 0, count: Swift.max(a.keyLength, 1))
        for b in 0 ..< a.batch {
            AttentionKernels.forEachRowBlock(a) { i0, i1, n in
                guard skips, let data = mask.data, n > 0 else { return append([0 ..< n]) }
                seen.withUnsafeMutableBufferPointer { s in
                    Self.markVisible(s.baseAddress!, mask: data + b * mask.batchStride, rows: i0 ..< i1, keys: n,
                                     rowStride: mask.rowStride, dims: a)
                }
                append(Self.runs(of: seen, keys: n))
            }
        }
    }

    /// The runs of row block `block` (0-based, blocks of `AttentionDims.blockSize` rows) of batch row b.
    @inline(__always)
    func runs(b: Int, block: Int) -> ArraySlice<Range<Int>> {
        let i = b * blocksPerRow + block
        return runs[start[i] ..< start[i + 1]]
    }

    private mutating func append(_ blockRuns: [Range<Int>]) {
        runs += blockRuns
        start.append(runs.count)
    }

    /// seen[j] = 1 where some row i of `rows` has mask ≠ 0 at key j < limit(i), else 0; over j < n.
    private static func markVisible(_ seen: UnsafeMutablePointer<Float>, mask: UnsafePointer<Float>, rows: Range<Int>,
                                    keys n: Int, rowStride: Int, dims a: AttentionDims) {
        seen.update(repeating: 0, count: n)
        if rowStride == 0 {  // a key-padding mask: every row reads the same keys, the last row the most
            for j in 0 ..< n where mask[j] != 0 { seen[j] = 1 }
            return
        }
        for i in rows {
            let m = mask + i * rowStride, limit = Swift.min(a.limit(i), n)
            for j in 0 ..< limit where m[j] != 0 { seen[j] = 1 }
        }
    }

    /// The maximal runs of seen[j] == 1 over j < n, or [0 ..< n] when they hide under n/8 keys or are too many.
    private static func runs(of seen: [Float], keys n: Int) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var j = 0, visible = 0
        while j < n {
            guard seen[j] != 0 else { j += 1; continue }
            let lo = j
            while j < n, seen[j] != 0 { j += 1 }
            out.append(lo ..< j)
            visible += j - lo
        }
        let worthIt = !out.isEmpty && out.count <= maxRuns && 8 * (n - visible) >= n
        return worthIt ? out : [0 ..< n]
    }
}
