// PreferenceRound: the "train" step — DPO (or any DPO-family loss AlignTraining has) with LoRA adapters on
// the current policy, whose weights at the start of the round are the reference (iterative DPO as in
// I-SHEEP / ACT's repeated rounds: each round's reference is the previous round's policy).
// Pairs are tokenized exactly as TRL's DPOTrainer does (AlignEval.PreferenceScorer.encode).
import AlignData
import AlignEval
import AlignModels
import AlignTraining
import Foundation

/// Settings of one training round.
public struct PreferenceTrainingSettings: Sendable, Equatable {
    /// The DPO-family objective and β.
    public var dpo = DPOConfig()

    /// Sets the objective to DPO, plus the chosen responses' NLL weighted by `sftWeight` when it is > 0 —
    /// RPO (Pang et al. 2024, arXiv 2404.19733; TRL: `loss_type: [sigmoid, sft]`, `loss_weights: [1, α]`). The NLL
    /// term keeps the chosen text likely; without it a tiny model driven to zero DPO loss drifts into gibberish.
    public mutating func setObjective(beta: Double, sftWeight: Double) {
        dpo.beta = beta
        dpo.lossType = sftWeight > 0 ? [.sigmoid, .sft] : [.sigmoid]
        dpo.lossWeights = sftWeight > 0 ? [1, sftWeight] : nil
    }
    /// Optimizer steps, batch, learning rate, schedule, seed (TRL names).
    public var training = TrainingConfig()
    /// LoRA adapters attached before the first round (nil: full fine-tuning).
    public var lora: LoRAConfig? = PreferenceTrainingSettings.lora(rank: 8)
    /// Completions and prompts longer than this (in tokens, together) are cut (TRL keep_start).
    public var maxLength = 256

    /// Every linear layer of a Llama-style block (PEFT's "all-linear" for these models).
    public static let allLinear = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]

    public init() {}

    /// LoRA on every linear layer with alpha = 2·rank (a common PEFT choice).
    public static func lora(rank: Int) -> LoRAConfig {
        LoRAConfig(rank: rank, alpha: Float(2 * rank), targetModules: allLinear)
    }
}

/// Runs training rounds on a policy.
public enum PreferenceRound {
    /// Attaches the settings' LoRA adapters if the model has none yet (or makes it trainable without LoRA).
    public static func prepare(_ model: DecoderModel, settings: PreferenceTrainingSettings) throws {
        if let lora = settings.lora {
            if model.loraConfig == nil { _ = try model.attachLoRA(lora, seed: settings.training.seed) }
            model.setLoRATraining(true)
        } else {
            model.setTrainable(true)
        }
    }

    /// Trains `model` on `pairs` for `settings.training.maxSteps` steps; `onStep` sees every step's log.
    public static func train(_ model: DecoderModel, pairs: [PreferencePair], scorer: PreferenceScorer,
                             settings: PreferenceTrainingSettings, onStep: (StepLog) -> Void = { _ in }) throws -> [StepLog] {
        guard !pairs.isEmpty else {
            throw AlignRecipesError.invalidSetting(name: "preference pairs", value: "0", expected: "at least one pair to train on")
        }
        try prepare(model, settings: settings)
        let data = pairs.map { scorer.encode($0).truncated(maxLength: settings.maxLength, mode: .keepStart) }
            .filter { !$0.chosen.isEmpty && !$0.rejected.isEmpty }
        let trainer = try DPOTrainer(model: model, objective: try DPOLoss(config: settings.dpo), config: settings.training,
                                     data: data, padID: scorer.padID)
        defer { model.setLoRATraining(false) }  // sampling and measuring follow: adapters back in inference mode
        return try trainer.train { log in onStep(log); return true }
    }
}
