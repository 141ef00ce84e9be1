// BPEMerger: applies BPE merges to a list of symbols — repeatedly merge the adjacent pair with the lowest
// rank, leftmost first on ties — with a binary heap over (rank, position) and a doubly linked list of
// symbols, as tokenizers' `Word::merge_all` (tokenizers/src/models/bpe/word.rs) does. Stale heap entries
// are recognised by re-checking the pair's current rank when popped.

enum BPEMerger {
    /// Merges `syms` in place. `merges`: (left << 32 | right) → (rank << 32 | merged id).
    static func mergeAll(_ syms: inout [WordToken], merges: [UInt64: UInt64]) {
        let n = syms.count
        guard n > 1 else { return }
        var next = [Int32](unsafeUninitializedCapacity: n) { b, c in for i in 0..<n { b[i] = Int32(i + 1) }; c = n }
        next[n - 1] = -1
        var prev = [Int32](unsafeUninitializedCapacity: n) { b, c in for i in 0..<n { b[i] = Int32(i - 1) }; c = n }
        var alive = [Bool](repeating: true, count: n)
        var heap = MinHeap()
        @inline(__always) func rankOf(_ a: Int, _ b: Int) -> UInt64? {
            merges[UInt64(UInt32(bitPattern: syms[a].id)) << 32 | UInt64(UInt32(bitPattern: syms[b].id))]
        }
        for i in 0..<(n - 1) {
            if let r = rankOf(i, i + 1) { heap.push((r >> 32) << 32 | UInt64(i)) }
        }
        while let top = heap.pop() {
            let pos = Int(top & 0xFFFF_FFFF), rank = top >> 32
            guard alive[pos], next[pos] >= 0 else { continue }
            let nx = Int(next[pos])
            guard let r = rankOf(pos, nx), r >> 32 == rank else { continue }
            // Merge nx into pos.
            syms[pos].id = Int32(truncatingIfNeeded: r & 0xFFFF_FFFF)
            syms[pos].end = syms[nx].end
            alive[nx] = false
            next[pos] = next[nx]
            if next[nx] >= 0 { prev[Int(next[nx])] = Int32(pos) }
            if prev[pos] >= 0, let r2 = rankOf(Int(prev[pos]), pos) { heap.push((r2 >> 32) << 32 | UInt64(prev[pos])) }
            if next[pos] >= 0, let r3 = rankOf(pos, Int(next[pos])) { heap.push((r3 >> 32) << 32 | UInt64(pos)) }
        }
        var out = [WordToken]()
        out.reserveCapacity(n)
        var i = 0
        while i >= 0 && i < n { out.append(syms[i]); i = Int(next[i]) }
        syms = out
    }
}

/// A binary min-heap of UInt64 keys ((rank << 32) | position: lowest rank, then leftmost).
struct MinHeap {
    private var a: [UInt64] = []

    mutating func push(_ x: UInt64) {
        a.append(x)
        var i = a.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            if a[p] <= a[i] { break }
            a.swapAt(p, i); i = p
        }
    }

    mutating func pop() -> UInt64? {
        guard let top = a.first else { return nil }
        let last = a.removeLast()
        if !a.isEmpty {
            a[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < a.count && a[l] < a[m] { m = l }
                if r < a.count && a[r] < a[m] { m = r }
                if m == i { break }
                a.swapAt(i, m); i = m
            }
        }
        return top
    }
}
