// DPOTrainer on a tiny random Llama-shaped model: TRL's batch layout spelled out, the first step's
// loss at exactly ln 2 (policy = reference), learning, gradient-accumulation equivalence, and an
// interrupted-and-resumed run ending bit-identical to an uninterrupted one.
import Foundation
import Testing
import AlignModels
import AlignTensor
import AlignTestSupport
import AlignTraining

/// A 2-layer model with V 48, C 16, H 2/1, D 8, seeded random weights.
func tinyModel(seed: UInt64 = 3) throws -> DecoderModel {
    let spec = DecoderSpec(vocabSize: 48, hiddenSize: 16, layers: 2, heads: 2, kvHeads: 1, headDim: 8, intermediateSize: 24,
                           norm: .rms(eps: 1e-6),
                           positions: .rotary(inverseFrequencies: try Rope.inverseFrequencies(dimension: 8, theta: 10000), attentionScaling: 1),
                           tiedEmbeddings: true)
    let model = DecoderModel(spec: spec)
    var g = RandomGenerator(seed: seed)
    for (name, p) in model.namedParameters() where !name.contains("norm") {
        p.assign(Tensor.uniform(p.shape, low: -0.3, high: 0.3, generator: &g))
    }
    model.setTrainable(true)
    return model
}

let tinyPairs: [TokenizedPreference] = (0 ..< 6).map { i in
    let p = Int32(i)
    return TokenizedPreference(prompt: [1, 5 + p, 9], chosen: [20 + p, 30, 2], rejected: [40 - p, 2])
}

@Suite("DPO trainer")
struct DPOTrainerTests {
    @Test("collation: [chosen; rejected], right padding, labels −100 outside the completion")
    func collation() {
        let b = PreferenceBatch.collate([TokenizedPreference(prompt: [1, 7], chosen: [8, 9, 2], rejected: [6, 2])], padID: 0)
        #expect(b.ids == [[1, 7, 8, 9, 2], [1, 7, 6, 2, 0]])
        #expect(b.attentionMask == [[1, 1, 1, 1, 1], [1, 1, 1, 1, 0]])
        #expect(b.labels == [[-100, 8, 9, 2, -100], [-100, 6, 2, -100, -100]])
        #expect(b.completionMask.scalars == [0, 1, 1, 1, 0, 0, 1, 1, 0, 0])
    }

    func config(_ steps: Int, batch: Int = 2, accum: Int = 1, dir: String = "") -> TrainingConfig {
        var c = TrainingConfig()
        c.maxSteps = steps
        c.perDeviceTrainBatchSize = batch
        c.gradientAccumulationSteps = accum
        c.learningRate = 0.05
        c.outputDir = dir
        return c
    }

    @Test("the first loss is ln 2 and training raises the reward margin")
    func learns() throws {
        let trainer = try DPOTrainer(model: try tinyModel(), objective: try DPOLoss(config: DPOConfig()), config: config(12),
                                     data: tinyPairs, padID: 0)
        let logs = try trainer.train()
        #expect(Swift.abs(logs[0].loss - 0.6931471805599453) < 1e-6)
        #expect(logs.last!.loss < logs[0].loss)
        #expect((logs.last!.metrics["rewards/margins"] ?? 0) > 0)
        #expect(logs.map(\.step) == Array(1 ... 12))
    }

    @Test("two accumulated micro-batches of 2 give the same update as one batch of 4")
    func accumulation() throws {
        var c1 = config(1, batch: 4), c2 = config(1, batch: 2, accum: 2)
        c1.shuffle = false
        c2.shuffle = false
        let a = try DPOTrainer(model: try tinyModel(), objective: try DPOLoss(config: DPOConfig()), config: c1, data: tinyPairs, padID: 0)
        let b = try DPOTrainer(model: try tinyModel(), objective: try DPOLoss(config: DPOConfig()), config: c2, data: tinyPairs, padID: 0)
        let la = try a.train(), lb = try b.train()
        #expect(Swift.abs(la[0].gradNorm - lb[0].gradNorm) < 1e-6 * Swift.max(1, la[0].gradNorm))
        for ((_, x), (_, y)) in zip(a.model.namedParameters(), b.model.namedParameters()) {
            let r = compareClose(x.scalars, y.scalars, atol: 1e-6, rtol: 1e-5)
            #expect(r.passed, "\(r)")
        }
    }

    @Test("a run stopped after a checkpoint and resumed ends bit-identical to an uninterrupted run")
    func exactResume() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("alignkit-resume-\(UInt32.random(in: 0 ... .max))")
        defer { try? FileManager.default.removeItem(at: dir) }
        var c = config(6, dir: dir.path)
        c.saveSteps = 3
        let full = try DPOTrainer(model: try tinyModel(), objective: try DPOLoss(config: DPOConfig()), config: c, data: tinyPairs, padID: 0)
        try full.train()
        let first = try DPOTrainer(model: try tinyModel(), objective: try DPOLoss(config: DPOConfig()), config: c, data: tinyPairs, padID: 0)
        try first.train { $0.step < 3 }  // stop right after the step-3 checkpoint
        let second = try DPOTrainer(model: try tinyModel(), objective: try DPOLoss(config: DPOConfig()), config: c, data: tinyPairs, padID: 0)
        try second.resume(from: dir.appendingPathComponent("checkpoint-3"))
        #expect(second.state.step == 3)
        try second.train()
        for ((name, x), (_, y)) in zip(full.model.namedParameters(), second.model.namedParameters()) {
            #expect(x.scalars == y.scalars, "\(name) differs after resume")
        }
    }

    @Test("a missing checkpoint file is an error naming it")
    func badCheckpoint() throws {
        let trainer = try DPOTrainer(model: try tinyModel(), objective: try DPOLoss(config: DPOConfig()), config: config(1),
                                     data: tinyPairs, padID: 0)
        let missing = URL(fileURLWithPath: "/nonexistent/checkpoint-1")
        #expect(throws: AlignModelsError.self) { try trainer.resume(from: missing) }
    }
}

@Suite("DPO trainer with LoRA")
struct DPOTrainerLoRATests {
    @Test("a frozen model is refused; with LoRA attached only the adapters change")
    func loraOnly() throws {
        let frozen = try tinyModel()
        frozen.setTrainable(false)
        var c = TrainingConfig()
        c.maxSteps = 3
        c.perDeviceTrainBatchSize = 2
        c.learningRate = 0.05
        #expect(throws: TrainingError.self) {
            try DPOTrainer(model: frozen, objective: try DPOLoss(config: DPOConfig()), config: c, data: tinyPairs, padID: 0)
        }
        _ = try frozen.attachLoRA(targets: ["q_proj", "v_proj"], rank: 2, alpha: 4, seed: 1)
        let before = frozen.namedParameters().map { $0.1.scalars }
        let trainer = try DPOTrainer(model: frozen, objective: try DPOLoss(config: DPOConfig()), config: c, data: tinyPairs, padID: 0)
        let logs = try trainer.train()
        #expect(Swift.abs(logs[0].loss - 0.6931471805599453) < 1e-6)  // B = 0: policy == reference at the start
        #expect(frozen.namedParameters().map { $0.1.scalars } == before, "base weights are frozen")
        #expect(logs.last!.loss < logs[0].loss)
    }
}
