// The fused log-softmax + gather (token log-probs) and its log-sum-exp: hand values, the ignore
// index, temperature, torch parity (Tests/Fixtures/kernels-k2 from
// scripts/fixtures/softmax_family_k2.py), finite differences and label validation.
import Foundation
import Testing
import AlignTensor
import AlignTestSupport

@Suite("token log-probs (fused log-softmax + gather)")
struct LogProbTests {
    @Test("uniform logits give log(1/V); the log-sum-exp is max + log V")
    func uniform() throws {
        let logits = try Tensor([0, 0, 0, 0, 7, 7, 7, 7], shape: [2, 4])
        let (logp, lse) = try Tensor.tokenLogProbsAndLogSumExp(logits, labels: [2, 0])
        #expect(compareClose(logp, [-Float(log(4.0)), -Float(log(4.0))], atol: 1e-7).passed)
        #expect(compareClose(lse, [Float(log(4.0)), 7 + Float(log(4.0))], atol: 1e-6).passed)
    }

    @Test("temperature 2 on logits [2, 0]: log p(0) = 1 − log(e + 1)")
    func temperature() throws {
        let logits = try Tensor([2, 0], shape: [1, 2])
        let logp = try Tensor.tokenLogProbs(logits, labels: [0], temperature: 2)
        #expect(compareClose(logp, [Float(1 - log(exp(1.0) + 1))], atol: 1e-7).passed)
    }

    @Test("label −100 gives log-prob 0 and a zero gradient row")
    func ignoreIndex() throws {
        let logits = testTensor([3, 5], seed: 2, scale: 3)
        logits.requiresGrad = true
        let logp = try Tensor.tokenLogProbs(logits, labels: [1, -100, 4])
        #expect(logp.scalars[1] == 0)
        logp.sum().backward()
        let g = try #require(logits.grad).scalars
        #expect(g[5 ..< 10].allSatisfy { $0 == 0 })
        // A counted row's gradient is onehot − softmax, which sums to 0.
        #expect(abs(g[0 ..< 5].reduce(0, +)) < 1e-6)
    }

    @Test("forward and both gradients match torch", arguments: [0, 1, 2, 3])
    func torchParity(index: Int) throws {
        let c = try K2Fixture.cases("token_log_probs")[index]
        let shape = try c.ints("shape"), rows = Array(shape.dropLast())
        let labels = try c.int32s("labels"), temperature = Float(try c.number("temperature"))
        let gLogp = try Tensor(try c.floats("g_logp"), shape: rows), gLse = try Tensor(try c.floats("g_lse"), shape: rows)
        for which in ["logp", "lse", "both"] {
            let logits = try Tensor(try c.floats("logits"), shape: shape)
            logits.requiresGrad = true
            let (logp, lse) = try Tensor.tokenLogProbsAndLogSumExp(logits, labels: labels, temperature: temperature)
            #expect(compareClose(logp, try c.floats("logp"), atol: 2e-6, rtol: 1e-5).passed, "\(c.name) logp")
            #expect(compareClose(lse, try c.floats("lse"), atol: 2e-6, rtol: 1e-5).passed, "\(c.name) lse")
            switch which {
            case "logp": logp.backward(gLogp)
            case "lse": lse.backward(gLse)
            default: ((logp * gLogp).sum() + (lse * gLse).sum()).backward()
            }
            let report = compareClose(try #require(logits.grad).scalars, try c.floats("dlogits_\(which)"),
                                      atol: 1e-6, rtol: 1e-4)
            #expect(report.passed, "\(c.name) dlogits via \(which): \(report)")
        }
    }

    @Test("gradients match finite differences, with ignored rows and temperature",
          arguments: [(Float(1), [Int32(2), -100, 0, 3]), (Float(0.6), [Int32(-100), 1, 1, 4])])
    func gradients(temperature: Float, labels: [Int32]) {
        let x = testTensor([2, 2, 5], seed: 21, scale: 2)
        let results = gradCheck([x]) { xs in
            let (logp, lse) = checkedLogProbs(xs[0], labels, temperature)
            return logp + lse * 0.5
        }
        for r in results { #expect(r.passed, "\(r)") }
    }

    @Test("one-token vocabulary: log-prob 0, zero gradient")
    func tinyVocab() throws {
        let x = try Tensor([3, -2], shape: [2, 1])
        x.requiresGrad = true
        let logp = try Tensor.tokenLogProbs(x, labels: [0, 0])
        #expect(logp.scalars == [0, 0])
        logp.sum().backward()
        #expect(try #require(x.grad).scalars == [0, 0])
        // An empty vocabulary admits only ignored labels: log-prob 0, log-sum-exp −inf.
        let (emptyLogp, emptyLse) = try Tensor.tokenLogProbsAndLogSumExp(Tensor(zeros: [3, 0]), labels: [-100, -100, -100])
        #expect(emptyLogp.scalars == [0, 0, 0] && emptyLse.scalars == [-.infinity, -.infinity, -.infinity])
    }

    @Test("long vocabulary agrees with a Float64 reference")
    func longVocabulary() throws {
        let v = 20000
        let x = testTensor([2, v], seed: 8, scale: 20)
        let (logp, lse) = try Tensor.tokenLogProbsAndLogSumExp(x, labels: [17, 19999])
        let xs = x.scalars
        for (r, label) in [17, 19999].enumerated() {
            let row = xs[r * v ..< (r + 1) * v].map(Double.init)
            let m = row.max() ?? 0
            let ref = m + log(row.reduce(0) { $0 + exp($1 - m) })
            #expect(abs(Double(lse.scalars[r]) - ref) < 4e-6)
            #expect(abs(Double(logp.scalars[r]) - (row[label] - ref)) < 4e-6)
        }
    }

    @Test("equals log-softmax followed by a gather (the unfused composition)")
    func matchesUnfused() throws {
        let (rows, v) = (6, 777)
        let x = testTensor([rows, v], seed: 13, scale: 8)
        let labels: [Int32] = [0, 776, 5, -100, 400, 12]
        let fused = try Tensor.tokenLogProbs(x, labels: labels).scalars
        let full = x.logSoftmax().scalars  // [rows, V]
        for (r, label) in labels.enumerated() {
            let expected: Float = label == -100 ? 0 : full[r * v + Int(label)]
            #expect(abs(fused[r] - expected) <= 1e-6, "row \(r)")
        }
    }

    @Test("labels are validated: count, range, and the ignore index is allowed")
    func validation() throws {
        #expect(throws: TensorError.sizeMismatch(what: "tokenLogProbs labels", shape: [2, 3], expected: 6, actual: 5)) {
            try Tensor.checkLabels([2, 3, 10], [0, 1, 2, 3, 4], ignoreIndex: -100, op: "tokenLogProbs")
        }
        #expect(throws: TensorError.indexOutOfRange(op: "tokenLogProbs label", index: 10, bound: 10)) {
            try Tensor.tokenLogProbs(Tensor(zeros: [2, 10]), labels: [3, 10])
        }
        #expect(throws: TensorError.indexOutOfRange(op: "tokenLogProbs label", index: -1, bound: 10)) {
            try Tensor.tokenLogProbs(Tensor(zeros: [2, 10]), labels: [-1, 0])
        }
        #expect(throws: TensorError.self) { try Tensor.checkLabels([], [], ignoreIndex: -100, op: "tokenLogProbs") }
        try Tensor.checkLabels([2, 10], [-100, 9], ignoreIndex: -100, op: "tokenLogProbs")
        let message = "\(TensorError.indexOutOfRange(op: "tokenLogProbs label", index: 10, bound: 10))"
        #expect(message == "tokenLogProbs label: index 10 out of range 0..<10")
    }
}

/// tokenLogProbsAndLogSumExp for inputs the test built valid (fails the test otherwise).
private func checkedLogProbs(_ x: Tensor, _ labels: [Int32], _ temperature: Float) -> (Tensor, Tensor) {
    do {
        let r = try Tensor.tokenLogProbsAndLogSumExp(x, labels: labels, temperature: temperature)
        return (r.logProbs, r.logSumExp)
    } catch {
        Issue.record("unexpected \(error)")
        return (Tensor(zeros: [2, 2]), Tensor(zeros: [2, 2]))
    }
}
