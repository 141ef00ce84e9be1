// RewardTrainer without an external witness, on the tiny LlamaForSequenceClassification fixture
// (Tests/Fixtures/reward-models/llama, V 128, C 32): TRL's collation spelled out, hand-computed
// first-step metrics, typed errors for unusable inputs, LoRA's trainable set, gradient accumulation
// k × 1 equal to batch k, and a resumed run ending on identical weights.
import Foundation
import Testing
import AlignData
import AlignModels
import AlignTensor
import AlignTestSupport
@testable import AlignTraining

let rewardPairs: [TokenizedRewardPair] = (0 ..< 6).map { i in
    let p = Int32(i)
    return TokenizedRewardPair(chosen: [1, 5 + p, 9, 20 + p, 2], rejected: [1, 5 + p, 40 - p, 2])
}

func tinyRewardModel() throws -> SequenceClassifier {
    let m = try SequenceClassifier.load(directory: FixturePaths.fixture("reward-models/llama"))
    m.setTrainable(true)
    return m
}

func rewardConfig(_ steps: Int, batch: Int = 2, accum: Int = 1, dir: String = "") -> TrainingConfig {
    var c = TrainingConfig()
    (c.maxSteps, c.perDeviceTrainBatchSize, c.gradientAccumulationSteps) = (steps, batch, accum)
    c.learningRate = 1e-2
    c.outputDir = dir
    return c
}

@Suite("Reward trainer")
struct RewardTrainerTests {
    @Test("collation: [chosen; rejected], right padding with the pad id, mask 1 on tokens, margins kept")
    func collation() {
        let b = RewardBatch.collate([TokenizedRewardPair(chosen: [1, 7, 2], rejected: [1, 2], margin: 0.5),
                                     TokenizedRewardPair(chosen: [1, 8], rejected: [1, 6, 6, 2], margin: 1)], padID: 0)
        #expect(b.ids == [[1, 7, 2, 0], [1, 8, 0, 0], [1, 2, 0, 0], [1, 6, 6, 2]])
        #expect(b.attentionMask == [[1, 1, 1, 0], [1, 1, 0, 0], [1, 1, 0, 0], [1, 1, 1, 1]])
        #expect(b.margins == [0.5, 1])
    }

    @Test("step 1 logs −log σ(r_c − r_r) and TRL's reward statistics of the initial model")
    func firstStepMetrics() throws {
        let model = try tinyRewardModel()
        let batch = RewardBatch.collate(Array(rewardPairs[0 ..< 2]), padID: 0)
        let r = try Autograd.withoutGrad { try model.scores(batch.ids, attentionMask: batch.attentionMask).scalars.map(Double.init) }
        let trainer = try RewardTrainer(model: model, objective: RewardLoss(config: RewardConfig()), config: rewardConfig(1), data: rewardPairs)
        let step = try #require(try trainer.train().first)
        let d = [r[0] - r[2], r[1] - r[3]]
        let loss = d.map { -Foundation.log(1 / (1 + exp(-$0))) }.reduce(0, +) / 2
        #expect(Swift.abs(step.loss - loss) < 1e-5)
        #expect(step.metrics["accuracy"] == Double(d.filter { $0 > 0 }.count) / 2)
        #expect(Swift.abs((step.metrics["margin"] ?? 0) - (d[0] + d[1]) / 2) < 1e-5)
        // 1e-5 as for the loss: the trainer's forward records a tape and the probe's does not, and which kernels
        // run (and so the last bits of each reward) depends on that and on the machine's BLAS.
        #expect(Swift.abs((step.metrics["min_reward"] ?? 0) - (r.min() ?? 0)) < 1e-5)
        #expect(Swift.abs((step.metrics["max_reward"] ?? 0) - (r.max() ?? 0)) < 1e-5)
        #expect(Swift.abs((step.metrics["mean_reward"] ?? 0) - r.reduce(0, +) / 4) < 1e-5)
        #expect(step.metrics["num_tokens"] == Double(5 + 5 + 4 + 4))
    }

    @Test("unusable inputs are typed errors naming the field")
    func errors() throws {
        let two = try SequenceClassifier.load(directory: FixturePaths.fixture("reward-models/qwen2"))
        two.setTrainable(true)
        #expect(throws: TrainingError.invalidConfig(field: "num_labels", value: "2", expected: "1 (one scalar reward per sequence)")) {
            try RewardTrainer(model: two, objective: RewardLoss(config: RewardConfig()), config: rewardConfig(1), data: rewardPairs)
        }
        var partial = rewardPairs
        partial[1].margin = 1
        #expect(throws: TrainingError.invalidConfig(field: "margin", value: "on some pairs only", expected: "a margin on every pair or on none")) {
            try RewardTrainer(model: try tinyRewardModel(), objective: RewardLoss(config: RewardConfig()), config: rewardConfig(1), data: partial)
        }
        let frozen = try SequenceClassifier.load(directory: FixturePaths.fixture("reward-models/llama"))
        #expect(throws: TrainingError.self) {
            try RewardTrainer(model: frozen, objective: RewardLoss(config: RewardConfig()), config: rewardConfig(1), data: rewardPairs)
        }
    }

    @Test("LoRA trains the adapters and the head under PEFT's names, nothing else")
    func loraParameters() throws {
        let model = try SequenceClassifier.load(directory: FixturePaths.fixture("reward-models/llama"))
        try model.attachLoRA(LoRAConfig(rank: 2, alpha: 4, targetModules: ["q_proj"]), seed: 0)
        let trainer = try RewardTrainer(model: model, objective: RewardLoss(config: RewardConfig()), config: rewardConfig(2), data: rewardPairs)
        #expect(trainer.optimizer.parameters.map(\.name).sorted() == [
            "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight",
            "base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight", "base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight",
            "base_model.model.score.weight",
        ])
        let embed = model.base.embedTokens.scalars
        try trainer.train()
        #expect(model.base.embedTokens.scalars == embed)
    }

    @Test("gradient accumulation 2 × 1 equals one batch of 2")
    func accumulation() throws {
        func run(batch: Int, accum: Int) throws -> [Float] {
            let m = try tinyRewardModel()
            let t = try RewardTrainer(model: m, objective: RewardLoss(config: RewardConfig()),
                                      config: rewardConfig(2, batch: batch, accum: accum), data: rewardPairs)
            try t.train()
            return m.score.weight.scalars + m.base.blocks[0].attention.q.weight.scalars
        }
        let a = try run(batch: 2, accum: 1), b = try run(batch: 1, accum: 2)
        let diff = zip(a, b).map { Swift.abs($0 - $1) }.max() ?? 1
        #expect(diff < 1e-6, "max |Δw| = \(diff)")
    }

    @Test("a run stopped at a checkpoint and resumed ends on identical weights")
    func resume() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("reward-resume-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        var c = rewardConfig(5, dir: dir.path)
        c.saveSteps = 2
        let full = try tinyRewardModel()
        let t1 = try RewardTrainer(model: full, objective: RewardLoss(config: RewardConfig()), config: c, data: rewardPairs)
        let logs = try t1.train()
        let part = try tinyRewardModel()
        let t2 = try RewardTrainer(model: part, objective: RewardLoss(config: RewardConfig()), config: c, data: rewardPairs)
        try t2.resume(from: dir.appendingPathComponent("checkpoint-4"))
        let tail = try t2.train()
        #expect(tail.map(\.step) == [5] && tail[0].loss == logs[4].loss && tail[0].metrics == logs[4].metrics)
        for ((name, a), (_, b)) in zip(full.namedParameters(), part.namedParameters()) { #expect(a.scalars == b.scalars, "\(name)") }
    }
}
