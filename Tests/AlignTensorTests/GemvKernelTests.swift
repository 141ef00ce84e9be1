// GemvKernels (Sources/AlignTensor/Kernels/GemvKernels.swift) and the WorkerPool behind it: y = W·x
// matches a Float64 reference on shapes that exercise the 4-row blocks, the single-row tail, the K mod 16
// tail and the threaded split; the split does not change a bit; the pool runs every part exactly once,
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
