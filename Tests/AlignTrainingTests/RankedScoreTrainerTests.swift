// RankedScoreTrainer on the tiny random model: AFT's and D2O's first logged losses equal their formulas evaluated in
// Float64 on log-probs from separate forwards (completionLogps, ASFTTrainerTests.swift); CoPG's first loss at policy =
// reference is the hand value mean (R_i − R_j)² of the data scores; D2O at policy = reference gives ln 2; POSFT's first
// loss and its aligned-model scorer match the Float64 formula.
import Foundation
import Testing
import AlignModels
import AlignTensor
import AlignTestSupport
import AlignTraining

@Suite("AFT, CoPG, D2O and POSFT trainer")
struct RankedScoreTrainerTests {
    static let lists = [
        TokenizedRanked(prompt: [1, 5, 9], completions: [[20, 30, 2], [40, 2], [22, 23, 24, 2]], scores: [2, 0.5, -1]),
        TokenizedRanked(prompt: [1, 6], completions: [[21, 2], [41, 42, 2], [11, 2]], scores: [1, 3, 1]),
    ]

    @Test("AFT: first loss = mean over lists of −mean s_p + log(1 + ΣΣ e^{s_n − s_p}) + Σ max(0, min s_p − margin − s_n); a list without negatives is VFT only")
    func aftStep() throws {
        let model = try tinyModel()
        let threshold = 0.7, margin = 0.2
        var expected = 0.0
        for list in Self.lists {
            let s = try list.completions.map { c in let l = try completionLogps(model, list.prompt, c); return l.reduce(0, +) / Double(l.count) }
            let pos = s.indices.filter { list.scores[$0] > threshold }.map { s[$0] }
            let neg = s.indices.filter { list.scores[$0] <= threshold }.map { s[$0] }
            var l = -pos.reduce(0, +) / Double(pos.count)
            if !neg.isEmpty {
                l += log(1 + neg.flatMap { n in pos.map { exp(n - $0) } }.reduce(0, +))
                let boundary = (pos.min() ?? 0) - margin
                l += neg.map { Swift.max(0, boundary - $0) }.reduce(0, +)
            }
            expected += l / 2
        }
        let trainer = try RankedScoreTrainer(model: model, objective: .aft(AFTLoss(margin: margin), threshold: threshold),
                                             config: zooConfig(), data: Self.lists, padID: 0)
        let logs = try trainer.train()
        #expect(Swift.abs(logs[0].loss - expected) <= 1e-5 * Swift.abs(expected))
        #expect(throws: TrainingError.self) {
            _ = try RankedScoreTrainer(model: try tinyModel(), objective: .aft(AFTLoss(), threshold: 2.5), config: zooConfig(),
                                   data: Self.lists, padID: 0)
        }
    }

    @Test("CoPG at policy = reference: first loss = mean over all pairs (R_i − R_j)² = (2.25 + 9 + 2.25 + 4 + 0 + 4)/6")
    func copgStep() throws {
        let trainer = try RankedScoreTrainer(model: try tinyModel(), objective: .copg(CoPGLoss(beta: 0.1)), config: zooConfig(),
                                             data: Self.lists, padID: 0)
        #expect(trainer.referenceLogps.map(\.count) == [3, 3])
        let logs = try trainer.train()
        let expected = (2.25 + 9 + 2.25 + 4 + 0 + 4) / 6.0
        #expect(Swift.abs(logs[0].loss - expected) <= 1e-5 * expected)
        #expect((logs[0].metrics["regularized_reward_gap"] ?? 0) > 0)
    }

    @Test("D2O: first loss = mean −log σ((β/K)·Σ ρ(samples) − α·ρ(negative)) with a separate reference; ln 2 at policy = reference")
    func d2oStep() throws {
        // Lists: K = 2 samples, then the human negative.
        let lists = [
            TokenizedRanked(prompt: [1, 5, 9], completions: [[20, 30, 2], [21, 2], [40, 41, 2]], scores: [1, 1, 0]),
            TokenizedRanked(prompt: [1, 6], completions: [[22, 2], [23, 24, 2], [42, 2]], scores: [1, 1, 0]),
        ]
        let policy = try tinyModel(), reference = try tinyModel(seed: 11)
        let (beta, alpha) = (0.3, 0.2)
        var expected = 0.0
        for list in lists {
            let rho = try list.completions.map { c in
                try completionLogps(policy, list.prompt, c).reduce(0, +) - completionLogps(reference, list.prompt, c).reduce(0, +)
            }
            expected += -logSigmoid(beta / 2 * (rho[0] + rho[1]) - alpha * rho[2]) / 2
        }
        let trainer = try RankedScoreTrainer(model: policy, reference: reference, objective: .d2o(D2OLoss(beta: beta, alpha: alpha)),
                                             config: zooConfig(), data: lists, padID: 0)
        let logs = try trainer.train()
        #expect(Swift.abs(logs[0].loss - expected) <= 1e-5 * expected)
        let same = try RankedScoreTrainer(model: try tinyModel(), objective: .d2o(D2OLoss()), config: zooConfig(), data: lists, padID: 0)
        #expect(Swift.abs((try same.train())[0].loss - log(2.0)) < 1e-5)
    }

    @Test("POSFT: first loss = mean −log σ(β·(s_θ − mean s_A)), s_θ the policy's per-token mean log-likelihood; the scorer matches")
    func posftStep() throws {
        let rows = [
            TokenizedRanked(prompt: [1, 5, 9], completions: [[20, 30, 2]], scores: [-3.5, -4.25]),
            TokenizedRanked(prompt: [1, 6], completions: [[21, 22, 23, 2]], scores: [-2, -6]),
        ]
        let model = try tinyModel()
        var expected = 0.0, means: [Double] = []
        for row in rows {
            let l = try completionLogps(model, row.prompt, row.completions[0])
            means.append(l.reduce(0, +) / Double(l.count))
            expected += -logSigmoid(0.7 * (means[means.count - 1] - (row.scores[0] + row.scores[1]) / 2)) / 2
        }
        let scored = try RankedScoreTrainer.lengthNormalizedLogLikelihoods(model, rows, padID: 0, batchSize: 2)
        #expect(zip(scored, means).allSatisfy { Swift.abs($0 - $1) <= 1e-5 * Swift.abs($1) })
        let logs = try RankedScoreTrainer(model: model, objective: .posft(POSFTLoss(beta: 0.7)), config: zooConfig(),
                                          data: rows, padID: 0).train()
        #expect(Swift.abs(logs[0].loss - expected) <= 1e-5 * expected)
        #expect(throws: TrainingError.self) {
            _ = try RankedScoreTrainer(model: try tinyModel(), objective: .posft(POSFTLoss()), config: zooConfig(),
                                       data: [Self.lists[0]], padID: 0)
        }
    }
}
