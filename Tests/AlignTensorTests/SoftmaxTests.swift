// Softmax and log-softmax over the last axis: hand-computed values, torch parity
// (Tests/Fixtures/kernels-k2, scripts/fixtures/softmax_family_k2.py) and finite differences.
import Foundation
import Testing
import AlignTensor
import AlignTestSupport

@Suite("softmax and log-softmax")
struct SoftmaxTests {
    @Test("softmax of [0, ln 2, ln 3] is [1/6, 2/6, 3/6]")
    func handValues() throws {
        let x = try Tensor([0, Float(M_LN2), Float(log(3.0)), 5, 5, 5], shape: [2, 3])
        let report = compareClose(x.softmax(), [1.0 / 6, 2.0 / 6, 3.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 3], atol: 1e-7)
        #expect(report.passed, "\(report)")
    }

    @Test("log-softmax of [1, 2, 3] is x − log(e + e² + e³)")
    func logSoftmaxHand() throws {
        let lse = log(exp(1.0) + exp(2.0) + exp(3.0))  // 3.40760596…
        let y = try Tensor([1, 2, 3], shape: [3]).logSoftmax()
        let report = compareClose(y, [Float(1 - lse), Float(2 - lse), Float(3 - lse)], atol: 1e-6)
        #expect(report.passed, "\(report)")
    }

    @Test("a shift of every logit by 1000 changes nothing (max subtraction)")
    func shiftInvariance() throws {
        let shifted = testTensor([4, 9], seed: 3, scale: 5) + 1000
        let x = shifted - 1000  // exact (Sterbenz), so x and shifted differ by exactly 1000
        #expect(compareClose(shifted.softmax(), x.softmax().scalars, atol: 1e-7, rtol: 1e-6).passed)
        #expect(compareClose(shifted.logSoftmax(), x.logSoftmax().scalars, atol: 2e-6).passed)
    }

    @Test("masked (−inf) logits get probability exactly 0, matching torch")
    func masked() throws {
        for c in try K2Fixture.cases("masked") {
            let x = try Tensor(try c.floats("x"), shape: try c.ints("shape"))
            let p = x.softmax().scalars
            #expect(p[1] == 0 && p[10] == 0 && p[11] == 0)
            #expect(compareClose(p, try c.floats("y"), atol: 1e-7, rtol: 1e-6).passed)
            let logp = x.logSoftmax().scalars
            #expect(logp[1] == -.infinity && logp[10] == -.infinity)
            #expect(compareClose(logp, try c.floats("logy"), atol: 1e-6, rtol: 1e-6).passed)
        }
    }

    @Test("softmax and log-softmax forward and backward match torch", arguments: ["softmax", "log_softmax"])
    func torchParity(op: String) throws {
        let cases = try K2Fixture.cases(op)
        #expect(cases.count == 2)
        for c in cases {
            let x = try Tensor(try c.floats("x"), shape: try c.ints("shape"))
            x.requiresGrad = true
            let y = op == "softmax" ? x.softmax() : x.logSoftmax()
            y.backward(try Tensor(try c.floats("g"), shape: x.shape))
            let fwd = compareClose(y, try c.floats("y"), atol: 1e-6, rtol: 1e-5)
            #expect(fwd.passed, "\(c.name) forward: \(fwd)")
            let bwd = compareClose(try #require(x.grad).scalars, try c.floats("dx"), atol: 1e-6, rtol: 1e-4)
            #expect(bwd.passed, "\(c.name) backward: \(bwd)")
        }
    }

    @Test("gradients match finite differences", arguments: [[2, 3, 4], [1, 1], [3, 1], [1, 530]])
    func gradients(shape: [Int]) {
        let x = testTensor(shape, seed: 11, scale: 2)
        for result in gradCheck([x], { $0[0].softmax() }) { #expect(result.passed, "softmax \(shape) \(result)") }
        for result in gradCheck([x], { $0[0].logSoftmax() }) { #expect(result.passed, "logSoftmax \(shape) \(result)") }
    }

    @Test("rows of a long vocabulary sum to 1 and agree with a Float64 reference")
    func longRows() throws {
        let v = 5000
        let x = testTensor([2, v], seed: 5, scale: 15)
        let p = x.softmax().scalars, logp = x.logSoftmax().scalars, xs = x.scalars
        for r in 0 ..< 2 {
            let row = xs[r * v ..< (r + 1) * v].map(Double.init)
            let m = row.max() ?? 0
            let lse = m + log(row.reduce(0) { $0 + exp($1 - m) })
            let refP = row.map { exp($0 - lse) }, refLogP = row.map { $0 - lse }
            #expect(compareClose(p[r * v ..< (r + 1) * v], refP, atol: 1e-8, rtol: 2e-6).passed)
            #expect(compareClose(logp[r * v ..< (r + 1) * v], refLogP, atol: 4e-6, rtol: 1e-6).passed)
            let total = p[r * v ..< (r + 1) * v].reduce(0.0) { $0 + Double($1) }
            #expect(abs(total - 1) < 1e-5)
        }
    }

    @Test("a scalar has no axis to normalize: the check throws naming the op")
    func rankCheck() {
        #expect(throws: TensorError.shapeMismatch(op: "softmax", shapes: [[]], expected: "rank ≥ 1 (normalizes the last axis)")) {
            try Tensor.checkLastAxis([], op: "softmax")
        }
    }
}
