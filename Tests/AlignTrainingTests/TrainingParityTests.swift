// DPOTrainer's per-step losses against TRL 1.16 (fixture: scripts/fixtures/training_parity_fixture.py,
// Tests/Fixtures/training-parity/reference.json): the tiny Llama (../shared/data/models/tiny-llama) trained
// 3 steps on 6 hh-rlhf pairs tokenized by TRL, batch 2, shuffle off, AdamW lr 1e-4 linear, max_grad_norm 1
// — DPO sigmoid (DPOTrainer; the fixture also holds IPO), ORPO (ORPOTrainer) and SimPO (CPOTrainer loss_type simpo,
// cpo_alpha 0). Every step's loss must match TRL's within 1e-4 relative (the 20-step table in
// BENCHMARKS.md, from scripts/parity/parity.py, shows ~1e-5). This is the no-Python guard of that table.
import AlignData
import AlignModels
import AlignTestSupport
import AlignTraining
import Foundation
import Testing

struct TrainingParityReference: Decodable {
    struct Row: Decodable { let prompt: [Int32]; let chosen: [Int32]; let rejected: [Int32] }
    struct Training: Decodable {
        let learning_rate: Double
        let per_device_train_batch_size: Int
        let max_grad_norm: Double
        let max_steps: Int
    }
    struct Config: Decodable {
        let objective: String?
        let loss_type: String?
        let beta: Double
        let cpo_alpha: Double?
        let simpo_gamma: Double?
    }
    struct Run: Decodable { let config: Config; let losses: [Double] }
    let training: Training
    let rows: [Row]
    let runs: [String: Run]
}

@Suite("DPOTrainer per-step losses match TRL")
struct TrainingParityTests {
    static func reference() throws -> TrainingParityReference {
        let url = FixturePaths.fixture("training-parity/reference.json")
        return try JSONDecoder().decode(TrainingParityReference.self, from: Data(contentsOf: url))
    }

    /// The objective the fixture's AlignKit config keys name.
    static func objective(_ c: TrainingParityReference.Config) throws -> any PairwiseObjective {
        switch c.objective ?? "dpo" {
        case "orpo":
            var o = ORPOConfig()
            o.beta = c.beta
            return ORPOLoss(config: o)
        case "cpo":
            var o = CPOConfig()
            o.beta = c.beta
            o.lossType = try #require(CPOConfig.LossType(rawValue: c.loss_type ?? "sigmoid"))
            o.cpoAlpha = c.cpo_alpha ?? 1
            o.simpoGamma = c.simpo_gamma ?? 0.5
            return CPOLoss(config: o)
        default:
            var o = DPOConfig()
            o.beta = c.beta
            o.lossType = [try #require(DPOLossType(rawValue: c.loss_type ?? "sigmoid"))]
            return try DPOLoss(config: o)
        }
    }

    @Test("3 steps on the tiny Llama equal TRL's losses", arguments: ["dpo_sigmoid", "orpo", "simpo"])
    func losses(name: String) throws {
        let ref = try Self.reference()
        let run = try #require(ref.runs[name])
        var config = TrainingConfig()
        config.learningRate = ref.training.learning_rate
        config.perDeviceTrainBatchSize = ref.training.per_device_train_batch_size
        config.maxGradNorm = ref.training.max_grad_norm
        config.maxSteps = ref.training.max_steps
        config.shuffle = false
        let model = try DecoderModel.load(directory: FixturePaths.shared("models/tiny-llama"))
        model.setTrainable(true)
        let data = ref.rows.map { TokenizedPreference(prompt: $0.prompt, chosen: $0.chosen, rejected: $0.rejected) }
        let trainer = try DPOTrainer(model: model, objective: try Self.objective(run.config), config: config,
                                     data: data, padID: 0)  // tiny Llama: <pad> = 0, as TRL pads
        let ours = try trainer.train().map(\.loss)
        #expect(ours.count == run.losses.count)
        for (step, (a, b)) in zip(ours, run.losses).enumerated() {
            let rel = abs(a - b) / max(abs(b), 1e-12)
            #expect(rel < 1e-4, "\(name) step \(step + 1): ours \(a), TRL \(b), relative difference \(rel)")
        }
    }
}
