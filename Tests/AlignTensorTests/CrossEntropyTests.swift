// Cross-entropy with ignore_index and reduction none/sum/mean: hand values, torch parity
// (Tests/Fixtures/kernels-k2 from scripts/fixtures/softmax_family_k2.py), finite differences.
import Foundation
import Testing
import AlignTensor
import AlignTestSupport

@Suite("cross-entropy")
struct CrossEntropyTests {
    @Test("hand values: losses ln 2 and ln 4, mean 1.5·ln 2, sum 3·ln 2")
    func handValues() throws {
        // Row 0: [0, 0] → p = 1/2. Row 1: [ln 3, 0] → p(1) = 1/4.
        let logits = try Tensor([0, 0, Float(log(3.0)), 0], shape: [2, 2])
        let none = try Tensor.crossEntropy(logits, labels: [0, 1], reduction: .none)
        #expect(compareClose(none, [Float(M_LN2), Float(2 * M_LN2)], atol: 1e-6).passed)
        #expect(abs(try Tensor.crossEntropy(logits, labels: [0, 1]).item() - Float(1.5 * M_LN2)) < 1e-6)
        #expect(abs(try Tensor.crossEntropy(logits, labels: [0, 1], reduction: .sum).item() - Float(3 * M_LN2)) < 1e-6)
    }

    @Test("the mean counts only non-ignored tokens; all ignored gives NaN like torch")
    func ignoredTokens() throws {
        let logits = try Tensor([0, 0, Float(log(3.0)), 0, 5, -5], shape: [3, 2])
        let mean = try Tensor.crossEntropy(logits, labels: [0, 1, -100]).item()
        #expect(abs(mean - Float(1.5 * M_LN2)) < 1e-6)
        let none = try Tensor.crossEntropy(logits, labels: [-100, 1, -100], reduction: .none).scalars
        #expect(none[0] == 0 && none[2] == 0)
        #expect(try Tensor.crossEntropy(logits, labels: [-100, -100, -100]).item().isNaN)
    }

    @Test("all reductions and their gradients match torch", arguments: [0, 1])
    func torchParity(index: Int) throws {
        let c = try K2Fixture.cases("cross_entropy")[index]
        let shape = try c.ints("shape"), labels = try c.int32s("labels")
        for reduction in Reduction.allCases {
            let logits = try Tensor(try c.floats("logits"), shape: shape)
            logits.requiresGrad = true
            let loss = try Tensor.crossEntropy(logits, labels: labels, reduction: reduction)
            let fwd = compareClose(loss, try c.floats("loss_\(reduction.rawValue)"), atol: 2e-6, rtol: 1e-5)
            #expect(fwd.passed, "\(c.name) \(reduction) loss: \(fwd)")
            loss.backward(reduction == .none ? try Tensor(try c.floats("g_none"), shape: [shape[0]]) : nil)
            let bwd = compareClose(try #require(logits.grad).scalars, try c.floats("dlogits_\(reduction.rawValue)"),
                                   atol: 1e-6, rtol: 1e-4)
            #expect(bwd.passed, "\(c.name) \(reduction) gradient: \(bwd)")
        }
    }

    @Test("gradients match finite differences for every reduction", arguments: Reduction.allCases)
    func gradients(reduction: Reduction) {
        let x = testTensor([4, 6], seed: 31, scale: 2)
        let results = gradCheck([x]) { xs in
            do {
                return try Tensor.crossEntropy(xs[0], labels: [5, -100, 0, 2], reduction: reduction)
            } catch {
                Issue.record("unexpected \(error)")
                return Tensor(zeros: [])
            }
        }
        for r in results { #expect(r.passed, "\(reduction) \(r)") }
    }

    @Test("bad labels throw instead of crashing")
    func validation() {
        #expect(throws: TensorError.indexOutOfRange(op: "tokenLogProbs label", index: 6, bound: 6)) {
            try Tensor.crossEntropy(Tensor(zeros: [2, 6]), labels: [6, 0])
        }
        #expect(throws: TensorError.sizeMismatch(what: "tokenLogProbs labels", shape: [2], expected: 2, actual: 3)) {
            try Tensor.crossEntropy(Tensor(zeros: [2, 6]), labels: [1, 0, 2])
        }
    }
}
