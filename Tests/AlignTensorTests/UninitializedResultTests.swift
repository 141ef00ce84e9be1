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

    @Test("attention with a fully masked row, a KV offset and GQA: P, dZ and all gradients are written")
    func attentionMaskedRows() throws {
        // B=1, H=2, Hkv=1, T=2, S=3, D=2; key 0 padded out, so causal query row 0 (sees keys 0...1)
        // keeps key 1 only, and with key 1 padded too in a second mask row 0 sees nothing.
        let q = try Tensor((0 ..< 8).map { Float($0) / 8 }, shape: [1, 2, 2, 2])
        let k = try Tensor((0 ..< 6).map { Float($0) / 6 }, shape: [1, 1, 3, 2])
        let v = try Tensor([1, 2, 3, 4, 5, 6], shape: [1, 1, 3, 2])
        for pad in [[Float(0), 1, 1], [0, 0, 1]] {
            [q, k, v].forEach { $0.requiresGrad = true; $0.grad = nil }
            let out = Tensor.scaledDotProductAttention(query: q, key: k, value: v, mask: .keyPadding(try Tensor(pad, shape: [1, 3])))
            out.sum().backward()
            #expect(out.scalars.allSatisfy { $0.isFinite }, "\(pad): \(out.scalars)")
            for t in [q, k, v] { #expect(t.grad?.scalars.allSatisfy { $0.isFinite } == true, "\(pad)") }
            if pad[1] == 0 {  // row 0 of each head sees no key: zero output
                #expect(Array(out.scalars[0 ..< 2]) == [0, 0] && Array(out.scalars[4 ..< 6]) == [0, 0])
            } else {  // row 0 sees key 1 only: its value
                #expect(Array(out.scalars[0 ..< 2]) == [3, 4])
            }
        }
    }

    @Test("fused log-probs with ignored rows: forward and dlogits are written, ignored rows' dlogits are 0")
    func logProbsIgnoredRows() throws {
        let logits = try Tensor([1, 2, 3, 0, 0, 0, 3, 2, 1], shape: [3, 3])
        logits.requiresGrad = true
        let lp = try Tensor.tokenLogProbs(logits, labels: [2, -100, 0])
        #expect(lp.scalars[1] == 0 && lp.scalars.allSatisfy { $0.isFinite })
        lp.sum().backward()
        let g = try #require(logits.grad).scalars
        #expect(Array(g[3 ..< 6]) == [0, 0, 0] && g.allSatisfy { $0.isFinite })
    }
}
