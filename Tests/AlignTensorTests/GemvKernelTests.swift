// GemvKernels (Sources/AlignTensor/Kernels/GemvKernels.swift) and the WorkerPool behind it: y = W·x
// matches a Float64 reference on shapes that exercise the K mod 16 tail and the threaded split; the split
// does not change a bit; fused products (several weights, bias and residual per row, one pool job) give
// the same bits as each product alone followed by the additions; the pool runs every part exactly once,
// including from concurrent callers (which fall back to serial).
import Testing
@testable import AlignTensor
import AlignTestSupport

@Suite("matrix–vector kernel and worker pool")
struct GemvKernelTests {
    @Test("hand-computed: two rows")
    func hand() {
        let w: [Float] = [1, 2, 3, -1, 0, 0.5], x: [Float] = [2, 1, 4]
        var y = [Float](repeating: .nan, count: 2)
        GemvKernels.gemv(w: w, x: x, y: &y, n: 2, k: 3)
        #expect(y == [16, 0])  // 2 + 2 + 12; −2 + 0 + 2
    }

    @Test("equals a Float64 reference", arguments: [(1, 5), (7, 16), (37, 53), (300, 200), (1537, 40), (9, 1600)])
    func reference(shape: (Int, Int)) {
        let (n, k) = shape
        let w = testTensor([n, k], seed: 401).scalars, x = testTensor([k], seed: 402).scalars
        var y = [Float](repeating: .nan, count: n)
        GemvKernels.gemv(w: w, x: x, y: &y, n: n, k: k)
        let expected = (0 ..< n).map { r in Float((0 ..< k).reduce(0.0) { $0 + Double(w[r * k + $1]) * Double(x[$1]) }) }
        let r = compareClose(y, expected, atol: 1e-5, rtol: 1e-5)
        #expect(r.passed, "\(n)×\(k): \(r)")
    }

    @Test("rows computed in any blocks give the same bits as the threaded product")
    func splitInvariant() {
        let (n, k) = (301, 211)
        let w = testTensor([n, k], seed: 411).scalars, x = testTensor([k], seed: 412).scalars
        var whole = [Float](repeating: 0, count: n), pieces = [Float](repeating: 0, count: n)
        GemvKernels.gemv(w: w, x: x, y: &whole, n: n, k: k)
        w.withUnsafeBufferPointer { pw in x.withUnsafeBufferPointer { px in pieces.withUnsafeMutableBufferPointer { py in
            // Odd block edges: rows reach the single-row tail at positions the threaded split never uses.
            for range in [0 ..< 3, 3 ..< 10, 10 ..< 151, 151 ..< 301] {
                GemvKernels.rowDots(w: pw.baseAddress!, x: px.baseAddress!, y: py.baseAddress!, k: k, rows: range)
            }
        } } }
        #expect(whole == pieces)
    }

    @Test("fused products give the bits of each product alone, then + bias, then residual +")
    func fused() {
        let k = 77
        let x = testTensor([k], seed: 421).scalars, x2 = testTensor([k], seed: 422).scalars
        let shapes = [300, 1, 45]  // a large product beside tiny ones: every chunk stays inside one product
        let ws = shapes.enumerated().map { i, n in testTensor([n, k], seed: UInt64(430 + i)).scalars }
        let bias = testTensor([45], seed: 440).scalars, residual = testTensor([45], seed: 441).scalars
        var alone = shapes.map { [Float](repeating: 0, count: $0) }
        for i in shapes.indices {
            GemvKernels.gemv(w: ws[i], x: i == 2 ? x2 : x, y: &alone[i], n: shapes[i], k: k)
        }
        alone[2] = (0 ..< 45).map { residual[$0] + (alone[2][$0] + bias[$0]) }
        // Raw copies, so every pointer stays valid through the one fused call.
        func raw(_ a: [Float]) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: a.count)
            p.initialize(from: a, count: a.count)
            return p
        }
        let (pw, px, px2, pb, pr) = (ws.map(raw), raw(x), raw(x2), raw(bias), raw(residual))
        let py = shapes.map { raw([Float](repeating: .nan, count: $0)) }
        defer { (pw + [px, px2, pb, pr] + py).forEach { $0.deallocate() } }
        GemvKernels.gemv([
            .init(w: pw[0], x: px, y: py[0], n: 300, k: k),
            .init(w: pw[1], x: px, y: py[1], n: 1, k: k),
            .init(w: pw[2], x: px2, y: py[2], n: 45, k: k, bias: pb, residual: pr),
        ])
        let fused = shapes.indices.map { Array(UnsafeBufferPointer(start: py[$0], count: shapes[$0])) }
        #expect(fused == alone)
    }

    @Test("the chunk plan covers every row of every product once, in proportion to size")
    func chunkPlan() {
        let dummy = UnsafeMutablePointer<Float>.allocate(capacity: 1)
        defer { dummy.deallocate() }
        let products = [(576, 576), (192, 576), (1, 576), (49152, 576)].map { n, k in
            GemvKernels.Product(w: dummy, x: dummy, y: dummy, n: n, k: k)
        }
        let plan = GemvKernels.ChunkPlan(products, chunks: 16)
        var seen = products.map { [Int](repeating: 0, count: $0.n) }
        for c in 0 ..< plan.count {
            let (p, rows) = plan.rows(of: c)
            for r in rows { seen[p][r] += 1 }
        }
        #expect(seen.allSatisfy { $0.allSatisfy { $0 == 1 } })
        #expect(plan.starts == [0, 1, 2, 3, 19])  // ⌈share⌉ chunks each, at least one: the LM head gets 16
    }

    #if os(Linux)
    @Test("the pool runs each part once, also for concurrent callers")
    func poolParts() async {
        let pool = WorkerPool(workers: 2)
        let results = await withTaskGroup(of: [Int].self) { group in
            for caller in 0 ..< 4 {
                group.addTask {
                    var total: [Int] = []
                    for round in 0 ..< 50 {
                        let parts = 1 + (round + caller) % 7
                        let hits = UnsafeMutableBufferPointer<Int>.allocate(capacity: parts)
                        hits.initialize(repeating: 0)
                        pool.run(chunks: parts) { p in hits[p] += 1 }
                        total.append(hits.reduce(0, +) == parts && hits.allSatisfy { $0 == 1 } ? 1 : 0)
                        hits.deallocate()
                    }
                    return total
                }
            }
            var all: [Int] = []
            for await r in group { all += r }
            return all
        }
        #expect(results.count == 200 && results.allSatisfy { $0 == 1 })
    }
    #endif
}
