// Embedding lookup and its scatter-add backward: hand values, padding index, torch parity
// (Tests/Fixtures/kernels-k2 from scripts/fixtures/softmax_family_k2.py), finite differences,
// id validation and bitwise determinism of the parallel scatter-add.
import Testing
import AlignTensor
import AlignTestSupport

@Suite("embedding")
struct EmbeddingTests {
    @Test("rows are gathered; repeated ids accumulate gradient; the padding row gets none")
    func handValues() throws {
        let w = try Tensor([1, 2, 3, 4, 5, 6], shape: [3, 2])
        w.requiresGrad = true
        let out = try Tensor.embedding(w, ids: [2, 0, 2], shape: [3])
        #expect(out.shape == [3, 2])
        #expect(out.scalars == [5, 6, 1, 2, 5, 6])
        out.backward(try Tensor([1, 10, 100, 1000, 2, 20], shape: [3, 2]))
        #expect(w.grad?.scalars == [100, 1000, 0, 0, 3, 30])
        w.zeroGrad()
        let padded = try Tensor.embedding(w, ids: [2, 0, 2], shape: [1, 3], paddingIndex: 2)
        #expect(padded.shape == [1, 3, 2])
        padded.sum().backward()
        #expect(w.grad?.scalars == [1, 1, 0, 0, 0, 0])
    }

    @Test("forward and weight gradient match torch (padding_idx 0)")
    func torchParity() throws {
        let c = try #require(try K2Fixture.cases("embedding").first)
        let w = try Tensor(try c.floats("weight"), shape: try c.ints("weight_shape"))
        w.requiresGrad = true
        let idsShape = try c.ints("ids_shape")
        let out = try Tensor.embedding(w, ids: try c.int32s("ids"), shape: idsShape,
                                       paddingIndex: Int32(try c.number("padding_idx")))
        #expect(out.scalars == (try c.floats("out")))
        out.backward(try Tensor(try c.floats("g"), shape: idsShape + [w.shape[1]]))
        let report = compareClose(try #require(w.grad).scalars, try c.floats("dweight"), atol: 1e-6, rtol: 1e-6)
        #expect(report.passed, "\(report)")
    }

    @Test("weight gradient matches finite differences")
    func gradients() {
        let w = testTensor([5, 3], seed: 41)
        let results = gradCheck([w]) { xs in
            do {
                // No padding index here: its row deliberately gets no gradient although the output uses it.
                return try Tensor.embedding(xs[0], ids: [4, 1, 4, 0, 2, 1], shape: [2, 3])
            } catch {
                Issue.record("unexpected \(error)")
                return Tensor(zeros: [])
            }
        }
        for r in results { #expect(r.passed, "\(r)") }
    }

    @Test("out-of-range or negative ids, a wrong count or a bad table throw typed errors")
    func validation() {
        let w = Tensor(zeros: [3, 2])
        #expect(throws: TensorError.indexOutOfRange(op: "embedding", index: 3, bound: 3)) {
            try Tensor.embedding(w, ids: [0, 3], shape: [2])
        }
        #expect(throws: TensorError.indexOutOfRange(op: "embedding", index: -1, bound: 3)) {
            try Tensor.embedding(w, ids: [-1], shape: [1])
        }
        #expect(throws: TensorError.sizeMismatch(what: "embedding ids", shape: [2, 2], expected: 4, actual: 3)) {
            try Tensor.embedding(w, ids: [0, 1, 2], shape: [2, 2])
        }
        #expect(throws: TensorError.indexOutOfRange(op: "embedding paddingIndex", index: 5, bound: 3)) {
            try Tensor.checkEmbedding([3, 2], ids: [0], shape: [1], paddingIndex: 5)
        }
        #expect(throws: TensorError.shapeMismatch(op: "embedding", shapes: [[6]], expected: "weight of rank 2 ([V, C])")) {
            try Tensor.checkEmbedding([6], ids: [0], shape: [1], paddingIndex: nil)
        }
    }

    @Test("the parallel scatter-add equals a sequential sum in token order, bit for bit")
    func deterministicScatter() throws {
        let (v, c, n) = (50, 256, 600)
        let w = testTensor([v, c], seed: 3)
        w.requiresGrad = true
        let ids = (0 ..< n).map { Int32(($0 * 7) % v) }
        let g = testTensor([n, c], seed: 4)
        try Tensor.embedding(w, ids: ids, shape: [n]).backward(g)
        var expected = [Float](repeating: 0, count: v * c)
        let gs = g.scalars
        for (i, id) in ids.enumerated() {
            for j in 0 ..< c { expected[Int(id) * c + j] += gs[i * c + j] }
        }
        #expect(w.grad?.scalars == expected)
    }
}
