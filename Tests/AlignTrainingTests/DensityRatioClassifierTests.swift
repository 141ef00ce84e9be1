// BCO's UDM density-ratio classifier against TRL 1.13's BCOTrainer (Tests/Fixtures/bco/udm_classifier.json, written by
// scripts/fixtures/bco_udm_fixture.py): the class-balanced logistic fit equals scikit-learn's tightly converged
// optimum (and its default-tolerance fit, which TRL uses, to that tolerance); with sklearn's coefficients, P(desirable)
// equals `_get_chosen_prob`, the clipped density ratios equal `_get_udm_weight` (both clamps hit), and BCOLoss with
// those probabilities equals `bco_loss`'s weighted mean. BCOTrainer with UDM fits on its sampled prompts and trains.
import Foundation
import Testing
import AlignModels
import AlignTensor
import AlignTestSupport
@testable import AlignTraining

struct UDMFixture: Decodable {
    let x: [[Float]], y: [Float], coef: [Double], intercept: Double
    let exact_coef: [Double], exact_intercept: Double
    let test: [[Float]], probs: [Double], weights: [Double]
    let min_density_ratio: Double, max_density_ratio: Double, beta: Double
    let policy_chosen: [Float], reference_chosen: [Float], policy_rejected: [Float], reference_rejected: [Float]
    let losses: [Double], loss: Double, delta: Double
}

@Suite("BCO UDM density-ratio classifier")
struct DensityRatioClassifierTests {
    let f: UDMFixture

    init() throws { f = try FixturePaths.loadJSON(UDMFixture.self, "bco/udm_classifier.json") }

    @Test("the fit equals sklearn LogisticRegression(class_weight='balanced') at tol 1e-12, and its default fit to 1e-3")
    func fitMatchesSklearn() throws {
        let clf = try DensityRatioClassifier.fit(embeddings: f.x, labels: f.y.map { $0 == 1 })
        let exact = compareClose(clf.coef + [clf.intercept], f.exact_coef + [f.exact_intercept], atol: 1e-5, rtol: 1e-5)
        #expect(exact.passed, "\(exact)")
        let loose = compareClose(clf.coef + [clf.intercept], f.coef + [f.intercept], atol: 1e-3, rtol: 1e-3)
        #expect(loose.passed, "\(loose)")
    }

    @Test("P(desirable) and the clipped density ratios equal TRL's _get_chosen_prob and _get_udm_weight")
    func weightsMatchTRL() {
        let clf = DensityRatioClassifier(coef: f.coef, intercept: f.intercept)
        let p = f.test.map(clf.probability)
        let rp = compareClose(p, f.probs, atol: 1e-6, rtol: 1e-5)
        #expect(rp.passed, "\(rp)")
        let w = p.map { DensityRatioClassifier.weight(probability: $0, minDensityRatio: 0.5, maxDensityRatio: 10) }
        let rw = compareClose(w, f.weights, atol: 1e-6, rtol: 1e-5)
        #expect(rw.passed, "\(rw)")
        #expect(f.weights.contains(0.5) && f.weights.contains(10) && f.weights.contains { $0 > 0.5 && $0 < 10 })
    }

    @Test("BCOLoss with the classifier's probabilities equals TRL's bco_loss (weighted undesirable rows)")
    func lossMatchesTRL() throws {
        let clf = DensityRatioClassifier(coef: f.coef, intercept: f.intercept)
        let nc = f.policy_chosen.count, nr = f.policy_rejected.count
        let chosen: [Float] = zip(f.policy_chosen, f.reference_chosen).map { $0 - $1 }
        let rejected: [Float] = zip(f.policy_rejected, f.reference_rejected).map { $0 - $1 }
        let ratios = chosen + rejected
        let labels = Array(repeating: true, count: nc) + Array(repeating: false, count: nr)
        let testProbs: [Double] = f.test.map { clf.probability($0) }
        let probs: [Double] = Array(repeating: 0.5, count: nc) + testProbs  // desirable rows keep weight 1 anyway
        var loss = BCOLoss(beta: f.beta)
        let out = loss.compute(ratios: try Tensor(ratios, shape: [nc + nr]), labels: labels, desirableProbability: probs)
        #expect(Swift.abs(Double(out.loss.item()) - f.loss) < 1e-5 * Swift.abs(f.loss))
        #expect(Swift.abs(loss.shift.mean - f.delta) < 1e-6)
    }

    @Test("BCOTrainer with UDM: fits on a sample of each side, weights undesirable rows, refuses mismatched embeddings")
    func trainerUsesUDM() throws {
        var rows: [TokenizedUnpaired] = []
        for i in 0 ..< 8 {
            let k = Int32(i)
            rows.append(TokenizedUnpaired(prompt: [1, 5 + k], completion: [20 + k, 2], label: i % 3 != 0))
        }
        // Desirable prompts sit at +1 on axis 0, undesirable at −1, with a small spread on axis 1.
        let emb: [[Float]] = rows.indices.map { i -> [Float] in [rows[i].label ? 1 : -1, Float(i) * 0.1] }
        var c = TrainingConfig()
        (c.maxSteps, c.perDeviceTrainBatchSize, c.learningRate, c.shuffle) = (2, 4, 0.01, false)
        let trainer = try BCOTrainer(model: try tinyModel(), objective: BCOLoss(), config: c, data: rows, padID: 0,
                                     udm: UDMSettings(promptEmbeddings: emb, promptSampleSize: 4, minDensityRatio: 0.2, maxDensityRatio: 3))
        let clf = try #require(trainer.classifier)
        #expect(clf.coef[0] > 0 && clf.probability(emb[1]) > 0.5 && clf.probability(emb[0]) < 0.5)
        #expect(trainer.objective.minDensityRatio == 0.2 && trainer.objective.maxDensityRatio == 3)
        // Policy == reference at step 1: every reward is 0 = δ, so each row's loss is ln 2 times its weight.
        let probs = try #require(trainer.desirableProbabilities([0, 1, 2, 3]))
        let w: [Double] = (0 ..< 4).map { i -> Double in
            rows[i].label ? 1 : DensityRatioClassifier.weight(probability: probs[i], minDensityRatio: 0.2, maxDensityRatio: 3)
        }
        let logs = try trainer.train()
        #expect(Swift.abs(logs[0].loss - log(2) * w.reduce(0, +) / 4) < 1e-6)
        #expect(throws: TrainingError.self) {
            try BCOTrainer(model: try tinyModel(), objective: BCOLoss(), config: c, data: rows, padID: 0,
                           udm: UDMSettings(promptEmbeddings: Array(emb.prefix(3))))
        }
    }
}
