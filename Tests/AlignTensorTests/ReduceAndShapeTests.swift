import Testing
import AlignTensor
import AlignTestSupport

@Suite("reductions and shape ops")
struct ReduceAndShapeTests {
    let x = try! Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])

    @Test("sum and mean over all elements and over each axis")
    func reductions() {
        #expect(x.sum().item() == 21)
        #expect(x.mean().item() == 3.5)
        #expect(x.sum(axis: 0).scalars == [5, 7, 9])
        #expect(x.sum(axis: -1).scalars == [6, 15])
        #expect(x.sum(axis: 1, keepDims: true).shape == [2, 1])
        #expect(x.mean(axis: 0).scalars == [2.5, 3.5, 4.5])
        #expect(x.maxLastAxis().scalars == [3, 6])
    }

    @Test("reshape and rows are views; permute reorders dims")
    func shapeOps() {
        let r = x.reshaped([3, -1])
        #expect(r.shape == [3, 2] && r.storage === x.storage)
        let second = x.rows(1 ..< 2)
        #expect(second.scalars == [4, 5, 6] && second.storage === x.storage)
        #expect(x.transposed().scalars == [1, 4, 2, 5, 3, 6])
        let t = testTensor([2, 3, 4, 5], seed: 9)
        let p = t.permuted([0, 2, 1, 3])
        #expect(p.shape == [2, 4, 3, 5])
        // element [1, 2, 0, 3] of p is element [1, 0, 2, 3] of t
        let pIndex = ((1 * 4 + 2) * 3 + 0) * 5 + 3
        let tIndex = ((1 * 3 + 0) * 4 + 2) * 5 + 3
        #expect(p.scalars[pIndex] == t.scalars[tIndex])
        #expect(Tensor.concat([x, x.rows(0 ..< 1)]).scalars == [1, 2, 3, 4, 5, 6, 1, 2, 3])
    }

    @Test("reshape errors name the op and both shapes")
    func reshapeError() {
        #expect(throws: TensorError.shapeMismatch(op: "reshape", shapes: [[2, 3], [4, -1]], expected: "6 elements")) {
            try Tensor.checkReshape([2, 3], [4, -1])
        }
    }

    @Test("reduction and shape-op gradients match finite differences")
    func gradients() {
        let t = testTensor([2, 3, 4], seed: 5)
        let w = testTensor([4, 3, 2], seed: 6)
        let fs: [(String, (Tensor) -> Tensor)] = [
            ("sum(axis:1)", { $0.sum(axis: 1) * $0.sum(axis: 1) }),
            ("mean(axis:-1)", { $0.mean(axis: -1, keepDims: true) * $0 }),
            ("mean", { $0.mean() * $0.sum() }),
            ("reshape", { $0.reshaped([6, 4]) * $0.reshaped([6, 4]).rows(0 ..< 6) }),
            ("permute", { $0.permuted([2, 0, 1]) * w.permuted([0, 2, 1]) }),
            ("rows", { $0.rows(1 ..< 2).square() }),
            ("concat", { Tensor.concat([$0, $0.rows(0 ..< 1)]).exp() }),
            ("broadcast", { $0.sum(axis: 0, keepDims: true).broadcast(to: [2, 3, 4]) * $0 }),
        ]
        for (name, f) in fs {
            for r in gradCheck([t], { f($0[0]) }) { #expect(r.passed, "\(name): \(r)") }
        }
    }
}

@Suite("row gather and argsort")
struct GatherRowsTests {
    @Test("gatherRows picks rows in order, repeats allowed, and argsort is stable")
    func forward() throws {
        let x = try Tensor([1, 2, 3, 4, 5, 6], shape: [3, 2])
        #expect(x.gatherRows([2, 0, 2]).scalars == [5, 6, 1, 2, 5, 6])
        #expect(try Tensor([3, 1, 2, 1], shape: [4]).argsort() == [1, 3, 2, 0])
        #expect(throws: TensorError.indexOutOfRange(op: "gatherRows", index: 3, bound: 3)) {
            try Tensor.checkGatherRows([3, 2], [0, 3])
        }
    }

    @Test("gatherRows' scatter-add backward matches finite differences")
    func gradient() {
        let x = testTensor([4, 3], seed: 21)
        for r in gradCheck([x], { $0[0].gatherRows([3, 1, 1, 0]).square() }) { #expect(r.passed, "\(r)") }
    }
}
