// Kernels must write every element of an uninitialized result before reading it. With
// `TensorStorage.poisonsUninitialized` on, every such buffer starts as NaN, so a kernel that reads
// (or scales, or accumulates into) part of its result before writing it turns the output NaN —
// the bug that recycled pool buffers (stale values) and fresh pages (zeros) hid. Each case pins
// an edge where a partial write is easy: an empty inner dimension, masked rows, ignored labels.
import Testing
@testable import AlignTensor

@Suite("uninitialized results are written in full")
struct UninitializedResultTests {
    init() { TensorStorage.poisonsUninitialized = true }

    @Test("the hook poisons uninitialized storage and leaves zeros alone")
    func hookPoisons() {
        #expect(Tensor.uninitialized([4]).scalars.allSatisfy { $0.isNaN })
        #expect(Tensor(zeros: [4]).scalars == [0, 0, 0, 0])
    }

    @Test("a product over an empty inner dimension is zero (BLAS beta = 0 must not read C)")
    func emptyInnerProduct() throws {
        let a = Tensor(zeros: [3, 0]), b = Tensor(zeros: [0, 4])
        #expect(Tensor.matmul(a, b).scalars == [Float](repeating: 0, count: 12))
        let batched = Tensor.matmul(Tensor(zeros: [2, 3, 0]), Tensor(zeros: [2, 0, 5]))  // per-batch sgemm path
        #expect(batched.scalars == [Float](repeating: 0, count: 30))
        let t = Tensor.matmul(Tensor(zeros: [0, 3]), Tensor(zeros: [4, 0]), transposeA: true, transposeB: true)
        #expect(t.shape == [3, 4] && t.scalars == [Float](repeating: 0, count: 12))
    }
}
