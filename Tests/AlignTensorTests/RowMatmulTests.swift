// Tensor.rowAwareMatmul (Sources/AlignTensor/Ops/RowMatmul.swift): the sgemv path for one row equals
// Tensor.matmul in both weight layouts, on hand-computed values and on random operands; several rows and
// recorded products take matmul itself (same values, gradients flow).
import Testing
import AlignTensor
import AlignTestSupport

@Suite("one-row matmul through sgemv")
struct RowMatmulTests {
    @Test("hand-computed: x·Wᵀ with W [N, K] and x·W with W [K, N]")
    func hand() throws {
        let x = try Tensor([1, 2, 3], shape: [1, 1, 3])
        let w = try Tensor([1, 0, 0, 0, 1, 1], shape: [2, 3])  // [N = 2, K = 3]
        let y = Tensor.rowAwareMatmul(x, w, transposeB: true)
        #expect(y.shape == [1, 1, 2] && y.scalars == [1, 5])
        let wt = try Tensor([1, 0, 0, 1, 0, 1], shape: [3, 2])  // the same weight as [K, N]
        #expect(Tensor.rowAwareMatmul(x, wt, transposeB: false).scalars == [1, 5])
    }

    @Test("random operands: equals matmul for one row and several rows, both layouts", arguments: [1, 3])
    func random(rows: Int) {
        let x = testTensor([rows, 37], seed: 301)
        for transposeB in [true, false] {
            let w = testTensor(transposeB ? [53, 37] : [37, 53], seed: 302)
            let r = compareClose(Tensor.rowAwareMatmul(x, w, transposeB: transposeB).scalars,
                                 Tensor.matmul(x, w, transposeB: transposeB).scalars, atol: 1e-5, rtol: 1e-5)
            #expect(r.passed, "rows \(rows), transposeB \(transposeB): \(r)")
        }
    }

    @Test("a recorded product still gets gradients")
    func recorded() throws {
        let x = testTensor([1, 4], seed: 311), w = testTensor([3, 4], seed: 312)
        w.requiresGrad = true
        Tensor.rowAwareMatmul(x, w, transposeB: true).sum().backward()
        // d(Σ x·Wᵀ)/dW[n, k] = x[k] for every n.
        #expect(try #require(w.grad).scalars == Array(repeating: x.scalars, count: 3).flatMap { $0 })
    }
}
