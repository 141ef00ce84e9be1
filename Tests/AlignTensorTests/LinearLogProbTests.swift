// The fused LM head + log-prob op (Ops/LinearLogProbs.swift) against the unfused composition it replaces,
// tokenLogProbs(matmul(h, W, transposeB: true)) — itself checked against torch in LogProbTests — for values
// and both gradients, over chunk sizes that do and do not divide the labelled rows; plus finite differences
// and the label errors.
import Foundation
import Testing
import AlignTensor
import AlignTestSupport

@Suite("fused linear + token log-probs")
struct LinearLogProbTests {
    /// 9 rows, 3 of them ignored (the first, one inside, the last), C 6, V 13.
    static let labels: [Int32] = [-100, 3, 12, 0, -100, 7, 7, 1, -100]

    /// (logp, dh, dW) of the unfused path for upstream `g`.
    static func unfused(_ h: Tensor, _ w: Tensor, _ g: Tensor) throws -> ([Float], [Float], [Float]) {
        let x = h.detached(), wt = w.detached()
        x.requiresGrad = true
        wt.requiresGrad = true
        let logp = try Tensor.tokenLogProbs(Tensor.matmul(x, wt, transposeB: true), labels: labels)
        logp.backward(g)
        return (logp.scalars, x.grad?.scalars ?? [], wt.grad?.scalars ?? [])
    }

    /// Logits recomputed in the backward (keep budget 0) and kept from the forward (budget ample) alike.
    @Test("values and gradients equal the unfused op for every chunk size, logits kept or recomputed",
          arguments: [1, 2, 4, 6, 256], [0, 1 << 20])
    func matchesUnfused(chunkRows: Int, keepLogitsBytes: Int) throws {
        let h = testTensor([9, 6], seed: 1, scale: 2), w = testTensor([13, 6], seed: 2, scale: 2)
        let g = testTensor([9], seed: 3)
        let (logp0, dh0, dw0) = try Self.unfused(h, w, g)
        let x = h.detached(), wt = w.detached()
        x.requiresGrad = true
        wt.requiresGrad = true
        let logp = try Tensor.linearTokenLogProbs(x, weight: wt, labels: Self.labels, chunkRows: chunkRows,
                                                  keepLogitsBytes: keepLogitsBytes)
        logp.backward(g)
        #expect(logp.shape == [9])
        for r in [0, 4, 8] { #expect(logp.scalars[r] == 0, "ignored row \(r) is 0") }
        let dh = try #require(x.grad).scalars, dw = try #require(wt.grad).scalars
        for r in [0, 4, 8] { #expect(dh[r * 6 ..< r * 6 + 6].allSatisfy { $0 == 0 }, "ignored row \(r) has no gradient") }
        for (name, ours, theirs) in [("logp", logp.scalars, logp0), ("dh", dh, dh0), ("dW", dw, dw0)] {
            let report = compareClose(ours, theirs, atol: 1e-6, rtol: 1e-5)
            #expect(report.passed, "\(name): \(report)")
        }
    }

    @Test("a hand-computed row: log softmax of h·Wᵀ at the label")
    func handComputed() throws {
        // h = [1, 2], W rows [1, 0], [0, 1], [1, 1] → logits [1, 2, 3]; log p(2) = 3 − log(e + e² + e³).
        let h = try Tensor([1, 2], shape: [1, 2]), w = try Tensor([1, 0, 0, 1, 1, 1], shape: [3, 2])
        let logp = try Tensor.linearTokenLogProbs(h, weight: w, labels: [2])
        let expected = 3 - Foundation.log(Foundation.exp(1.0) + Foundation.exp(2.0) + Foundation.exp(3.0))
        #expect(abs(Double(logp.item()) - expected) < 1e-6)
    }

    @Test("gradients match finite differences")
    func finiteDifferences() {
        let h = testTensor([5, 4], seed: 11), w = testTensor([7, 4], seed: 12)
        let labels: [Int32] = [1, -100, 6, 0, 3]
        let results = gradCheck([h, w]) { t in
            (try? Tensor.linearTokenLogProbs(t[0], weight: t[1], labels: labels, chunkRows: 2)) ?? Tensor(zeros: [5])
        }
        for r in results { #expect(r.passed, "\(r)") }
    }

    @Test("no labelled row: zeros and zero gradients")
    func allIgnored() throws {
        let h = testTensor([3, 4], seed: 5), w = testTensor([5, 4], seed: 6)
        h.requiresGrad = true
        let logp = try Tensor.linearTokenLogProbs(h, weight: w, labels: [-100, -100, -100])
        logp.sum().backward()
        #expect(logp.scalars == [0, 0, 0])
        #expect(h.grad?.scalars == [Float](repeating: 0, count: 12))
    }

    @Test("bad labels and shapes throw naming the op")
    func errors() {
        let h = testTensor([2, 4], seed: 5), w = testTensor([5, 4], seed: 6)
        #expect(throws: TensorError.indexOutOfRange(op: "linearTokenLogProbs label", index: 5, bound: 5)) {
            try Tensor.linearTokenLogProbs(h, weight: w, labels: [0, 5])
        }
        #expect(throws: TensorError.sizeMismatch(what: "linearTokenLogProbs labels", shape: [2], expected: 2, actual: 3)) {
            try Tensor.linearTokenLogProbs(h, weight: w, labels: [0, 1, 2])
        }
        #expect(throws: TensorError.self) { try Tensor.linearTokenLogProbs(h, weight: testTensor([5, 3], seed: 1), labels: [0, 1]) }
    }
}
