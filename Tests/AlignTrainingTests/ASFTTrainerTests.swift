// ASFT through DPOTrainer (ASFTLoss+Pairwise.swift) on the tiny random model of DPOTrainerTests: the first logged loss
// equals the formula evaluated in Float64 on log-probs from separate, unpadded forwards of each sequence. The helpers
// here serve the TPO and ranked-score trainer tests too.
import Foundation
import Testing
import AlignModels
import AlignTensor
import AlignTestSupport
import AlignTraining

/// Completion-token log-probs of prompt + completion, one unpadded sequence, no tape.
func completionLogps(_ model: DecoderModel, _ prompt: [Int32], _ completion: [Int32]) throws -> [Double] {
    let ids = prompt + completion
    let labels: [Int32] = (0 ..< ids.count).map { i in i + 1 < ids.count && i + 1 >= prompt.count ? ids[i + 1] : -100 }
    let lp = try Autograd.withoutGrad { try model.tokenLogProbs([ids], labels: [labels]).scalars }
    return zip(lp, labels).filter { $0.1 != -100 }.map { Double($0.0) }
}

func logSigmoid(_ x: Double) -> Double { x >= 0 ? -log1p(exp(-x)) : x - log1p(exp(x)) }

func zooConfig(steps: Int = 1, batch: Int = 2) -> TrainingConfig {
    var c = TrainingConfig()
    c.maxSteps = steps
    c.perDeviceTrainBatchSize = batch
    c.learningRate = 0.05
    c.shuffle = false
    return c
}

@Suite("ASFT trainer")
struct ASFTTrainerTests {
    @Test("ASFT through DPOTrainer: first loss = NLL(chosen tokens) + λ·mean[−log σ(s_w) − log σ(−s_l)], reference-free")
    func asftStep() throws {
        let model = try tinyModel()
        var expectedAbsolute = 0.0, nllSum = 0.0, nllCount = 0.0
        for ex in tinyPairs[0 ..< 2] {
            let c = try completionLogps(model, ex.prompt, ex.chosen), r = try completionLogps(model, ex.prompt, ex.rejected)
            let mc = c.reduce(0, +) / Double(c.count), mr = r.reduce(0, +) / Double(r.count)
            let sw = mc - log(-expm1(mc)), sl = mr - log(-expm1(mr))  // log-odds of the mean likelihood
            expectedAbsolute += (-logSigmoid(sw) - logSigmoid(-sl)) / 2
            nllSum -= c.reduce(0, +)
            nllCount += Double(c.count)
        }
        let expected = nllSum / nllCount + 0.3 * expectedAbsolute
        let trainer = try DPOTrainer(model: model, objective: ASFTLoss(lambda: 0.3), config: zooConfig(), data: tinyPairs, padID: 0)
        #expect(trainer.referenceLogps.isEmpty)
        let logs = try trainer.train()
        #expect(Swift.abs(logs[0].loss - expected) <= 1e-5 * expected)
        #expect(Swift.abs((logs[0].metrics["absolute_loss"] ?? 0) - expectedAbsolute) <= 1e-5 * expectedAbsolute)
    }
}
