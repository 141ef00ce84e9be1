// KL(policy‖reference) per token matches torch: Schulman's k1/k2/k3 on sampled tokens and the exact KL from
// logits, with masks, as per-token and per-sequence means. Witness: scripts/fixtures/evalmetrics_kl.py →
// Tests/Fixtures/evalmetrics/kl.json (torch 2.15.0, float64 on float32 logits).
import AlignTensor
import Foundation
import Testing
import AlignEval
import AlignTestSupport

private struct KLSummaryFixture: Decodable {
    let per_token: Double
    let per_sequence: Double
    let sequence_sums: [Double]
}

private struct KLFixture: Decodable {
    let shape: [Int]
    let policy_logits: [Float]
    let reference_logits: [Float]
    let mask: [[Int]]
    let policy_logps: [[Double]]
    let reference_logps: [[Double]]
    let k1: KLSummaryFixture, k2: KLSummaryFixture, k3: KLSummaryFixture
    let exact: KLSummaryFixture
    let exact_per_position: [[Double]]
    let exact_unmasked: KLSummaryFixture
}

private func expectClose(_ s: KLSummary, _ f: KLSummaryFixture, tol: Double = 1e-6) {
    #expect(abs(s.perToken - f.per_token) <= tol, "per token \(s.perToken) vs \(f.per_token)")
    #expect(abs(s.perSequence - f.per_sequence) <= tol, "per sequence \(s.perSequence) vs \(f.per_sequence)")
    #expect(compareClose(s.sequenceSums, f.sequence_sums, atol: tol, rtol: 0).passed)
}

@Suite("KL estimators")
struct KLParityTests {
    private let f: KLFixture
    private var mask: [[Bool]] { f.mask.map { $0.map { $0 == 1 } } }

    init() throws { f = try FixturePaths.loadJSON(KLFixture.self, "evalmetrics/kl.json") }

    @Test("k1, k2, k3 per token and per sequence match torch", arguments: KLEstimator.allCases)
    func estimatorsMatchTorch(_ k: KLEstimator) throws {
        let s = try KLEstimate.summarize(k, policyLogProbs: f.policy_logps, referenceLogProbs: f.reference_logps, mask: mask)
        #expect(s.tokens == 10)
        switch k {
        case .k1: expectClose(s, f.k1)
        case .k2: expectClose(s, f.k2)
        case .k3: expectClose(s, f.k3)
        }
    }

    @Test("exact KL from logits matches torch per position, masked and unmasked")
    func exactMatchesTorch() throws {
        let p = try Tensor(f.policy_logits, shape: f.shape), q = try Tensor(f.reference_logits, shape: f.shape)
        let (masked, perPosition) = try ExactKL.compute(policyLogits: p, referenceLogits: q, mask: mask)
        expectClose(masked, f.exact)
        #expect(compareClose(perPosition.flatMap { $0 }, f.exact_per_position.flatMap { $0 }, atol: 1e-6, rtol: 0).passed)
        expectClose(try ExactKL.compute(policyLogits: p, referenceLogits: q).summary, f.exact_unmasked)
    }

    @Test("policy equal to reference gives exactly zero for every estimator and the exact KL")
    func identicalPolicyIsZero() throws {
        for k in KLEstimator.allCases {
            let s = try KLEstimate.summarize(k, policyLogProbs: f.policy_logps, referenceLogProbs: f.policy_logps)
            #expect(s.perToken == 0 && s.perSequence == 0 && s.tokens == 15)
        }
        let p = try Tensor(f.policy_logits, shape: f.shape)
        #expect(try ExactKL.compute(policyLogits: p, referenceLogits: p).summary.perToken == 0)
    }

    @Test("hand-computed single token: log π = log ½, log π_ref = log ¼")
    func handComputed() {
        // log r = log(¼/½) = −ln 2: k1 = ln 2, k2 = ½ ln²2, k3 = (½ − 1) + ln 2.
        let (lp, lr) = (log(0.5), log(0.25))
        #expect(abs(KLEstimator.k1.value(logp: lp, refLogp: lr) - log(2.0)) < 1e-15)
        #expect(abs(KLEstimator.k2.value(logp: lp, refLogp: lr) - 0.5 * log(2.0) * log(2.0)) < 1e-15)
        #expect(abs(KLEstimator.k3.value(logp: lp, refLogp: lr) - (log(2.0) - 0.5)) < 1e-15)
    }

    @Test("mismatched shapes are errors naming what differs")
    func shapeErrors() throws {
        #expect(throws: AlignEvalError.shapeMismatch(what: "reference log-probs", expected: "row lengths [2]", got: "[3]")) {
            try KLEstimate.summarize(.k1, policyLogProbs: [[0, 0]], referenceLogProbs: [[0, 0, 0]])
        }
        #expect(throws: AlignEvalError.self) {
            try ExactKL.compute(policyLogits: Tensor(zeros: [1, 2, 3]), referenceLogits: Tensor(zeros: [1, 2, 4]))
        }
    }
}
