// TPOTrainer on the tiny random model: the first logged loss equals TPO's sigmoid term plus tpo_alpha × the gold NLL,
// evaluated in Float64 on log-probs from separate forwards (completionLogps, ASFTTrainerTests.swift).
import Foundation
import Testing
import AlignModels
import AlignTensor
import AlignTestSupport
import AlignTraining

@Suite("TPO trainer")
struct TPOTrainerTests {
    @Test("TPO: first loss = mean −log σ(β·(Σ log π(y_w) − Σ log π(y_l))) + tpo_alpha · token-mean NLL of gold")
    func tpoStep() throws {
        let model = try tinyModel()
        let triples = tinyPairs.enumerated().map { i, p in TokenizedTPO(pair: p, goldPrompt: p.prompt, gold: [25 + Int32(i), 31, 2]) }
        var config = TPOConfig()
        config.beta = 0.5
        config.tpoAlpha = 0.7
        var pref = 0.0, goldSum = 0.0, goldCount = 0.0
        for t in triples[0 ..< 2] {
            let c = try completionLogps(model, t.pair.prompt, t.pair.chosen).reduce(0, +)
            let r = try completionLogps(model, t.pair.prompt, t.pair.rejected).reduce(0, +)
            pref += -logSigmoid(0.5 * (c - r)) / 2
            let g = try completionLogps(model, t.goldPrompt, t.gold)
            goldSum -= g.reduce(0, +)
            goldCount += Double(g.count)
        }
        let expected = pref + 0.7 * goldSum / goldCount
        let logs = try TPOTrainer(model: model, objective: TPOLoss(config: config), config: zooConfig(), data: triples, padID: 0).train()
        #expect(Swift.abs(logs[0].loss - expected) <= 1e-5 * expected)
        #expect(Swift.abs((logs[0].metrics["nll_loss"] ?? 0) - goldSum / goldCount) <= 1e-5 * goldSum / goldCount)
    }
}
