// The reference of a LoRA policy without a separate reference model is the base with the adapters bypassed
// (ReferenceModel; TRL's DPOTrainer + PEFT: null_ref_context → disable_adapter()): with an adapter whose B is
// non-zero already attached, DPOTrainer's precomputed reference log-probs equal the base
// model's exactly, and a training step leaves every base parameter without a gradient buffer.
import Testing
import AlignModels
import AlignTensor
import AlignTraining

@Suite("LoRA reference and frozen base in the trainers")
struct LoRAReferenceTests {
    /// tinyModel with adapters on every projection, B set non-zero (a trained or loaded adapter).
    static func adaptedModel() throws -> DecoderModel {
        let m = try tinyModel()
        try m.attachLoRA(targets: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"],
                         rank: 2, alpha: 4, seed: 1)
        var g = RandomGenerator(seed: 9)
        for (name, p) in m.loraParameters() where name.contains("lora_B") {
            p.assign(Tensor.uniform(p.shape, low: -0.3, high: 0.3, generator: &g))
        }
        return m
    }

    static var config: TrainingConfig {
        var c = TrainingConfig()
        c.maxSteps = 1
        c.perDeviceTrainBatchSize = 3
        c.shuffle = false
        return c
    }

    @Test("DPO: the reference log-probs are the base model's, bit for bit; the base gets no gradients")
    func dpoReferenceIsBase() throws {
        let objective = try DPOLoss(config: DPOConfig())
        let expected = try DPOTrainer(model: try tinyModel(), objective: objective, config: Self.config, data: tinyPairs,
                                      padID: 0).referenceLogps
        let m = try Self.adaptedModel()
        let trainer = try DPOTrainer(model: m, objective: objective, config: Self.config, data: tinyPairs, padID: 0)
        #expect(trainer.referenceLogps.map(\.0) == expected.map(\.0) && trainer.referenceLogps.map(\.1) == expected.map(\.1))
        let logs = try trainer.train()
        #expect(Swift.abs(logs[0].loss - 0.6931471805599453) > 1e-3, "the adapted policy is not its reference")
        #expect(m.namedParameters().allSatisfy { $0.1.grad == nil && !$0.1.requiresGrad })
        #expect(trainer.optimizer.parameters.count == m.loraParameters().count)
    }

    @Test("DPO: an explicit reference is used as given, adapters and all")
    func explicitReference() throws {
        let objective = try DPOLoss(config: DPOConfig())
        let adapted = try Self.adaptedModel()
        let own = try DPOTrainer(model: adapted, objective: objective, config: Self.config, data: tinyPairs, padID: 0)
        let policy = try tinyModel(seed: 5)
        let trainer = try DPOTrainer(model: policy, reference: adapted, objective: objective, config: Self.config,
                                     data: tinyPairs, padID: 0)
        #expect(zip(trainer.referenceLogps, own.referenceLogps).contains { Swift.abs($0.0 - $1.0) > 1e-4 },
                "a separate reference keeps its adapters (TRL's ref_model is used as is)")
    }
}
