// RewardTrainer: trains a scalar-head model (SequenceClassifier) on preference pairs as TRL 1.16's
// RewardTrainer does (trl/trainer/reward_trainer.py): per optimizer step, gradient_accumulation_steps
// micro-batches of [chosen₁…chosen_B; rejected₁…rejected_B] right-padded with the pad id
// (DataCollatorForPreference) → one reward per row, read at the rightmost non-pad token → the
// Bradley–Terry loss of RewardLoss (−log σ(r_c − r_r − margin), + center_rewards_coefficient ·
// mean((r_c + r_r)²)) scaled by 1/accumulation → backward → global-norm clipping → AdamW → LR schedule.
// Logged metrics use TRL's names: accuracy, margin, min_reward, mean_reward, max_reward, num_tokens.
// Full fine-tuning or LoRA (adapters + the head, PEFT's modules_to_save). Data order, schedule and
// checkpoints follow DPOTrainer's (same seeded order, `DPOTrainer.schedule`, the same checkpoint
// layout), so the shared loop can absorb this trainer when it is factored out. TrainingConfig's defaults
// are DPO's; TRL's RewardConfig uses learning_rate 1e-4 (`align train reward` applies it).
import AlignData
import AlignModels
import AlignTensor
import Foundation

/// One tokenized reward pair; defined in AlignData, which tokenizes datasets the way TRL does.
public typealias TokenizedRewardPair = AlignData.TokenizedRewardPair

/// Trains a SequenceClassifier with the pairwise reward-model objective.
///
///     let trainer = try RewardTrainer(model: rm, objective: RewardLoss(config: RewardConfig()),
///                                     config: config, data: tokenized.examples)
///     let logs = try trainer.train()
public final class RewardTrainer {
    public let model: SequenceClassifier
    public let objective: RewardLoss
    public let config: TrainingConfig
    public let data: [TokenizedRewardPair]
    /// The id rows are padded with (the model's pad_token_id, which also decides the pooled token).
    public let padID: Int32
    public let optimizer: AdamW
    public internal(set) var scheduler: LRScheduler
    public internal(set) var state = TrainerState()
    /// Non-pad tokens seen in training so far (TRL's `num_tokens`: the attention mask's sum).
    public internal(set) var numTokens = 0

    /// - Throws: `TrainingError.invalidConfig` for a bad config, no data, a model with num_labels ≠ 1 or no
    ///   pad id, margins on some pairs only, or nothing trainable.
    public init(model: SequenceClassifier, objective: RewardLoss, config: TrainingConfig, data: [TokenizedRewardPair]) throws {
        try config.validate()
        guard !data.isEmpty else { throw TrainingError.invalidConfig(field: "train_dataset", value: "0 rows", expected: "at least one pair") }
        guard model.numLabels == 1 else {  // TRL: "reward models require num_labels=1"
            throw TrainingError.invalidConfig(field: "num_labels", value: "\(model.numLabels)", expected: "1 (one scalar reward per sequence)")
        }
        guard let pad = model.config.padTokenID else {
            throw TrainingError.invalidConfig(field: "pad_token_id", value: "none", expected: "a pad id (TRL uses the tokenizer's pad or EOS token)")
        }
        guard data.allSatisfy({ ($0.margin == nil) == (data[0].margin == nil) }) else {
            throw TrainingError.invalidConfig(field: "margin", value: "on some pairs only", expected: "a margin on every pair or on none")
        }
        self.model = model
        self.objective = objective
        self.config = config
        self.data = data
        padID = Int32(pad)
        let params = Self.trainableParameters(model)
        guard !params.isEmpty else {  // a loaded model starts frozen: training it would silently do nothing
            throw TrainingError.invalidConfig(field: "model", value: "no trainable parameters",
                                              expected: "setTrainable(true) for full fine-tuning, or attached LoRA adapters")
        }
        optimizer = try AdamW(ParameterGroup.split(params, lr: config.learningRate, weightDecay: config.weightDecay,
                                                   noDecay: ParameterGroup.isBiasOrNorm))
        scheduler = LRScheduler(optimizer, schedule: DPOTrainer.schedule(config))
    }

    /// With LoRA: the adapters and the head under PEFT's names; otherwise every trainable tensor under
    /// transformers' names.
    static func trainableParameters(_ model: SequenceClassifier) -> [NamedParameter] {
        let named = model.base.loraConfig != nil ? model.loraParameters() : model.namedParameters()
        return named.filter { $0.1.requiresGrad }.map { NamedParameter($0.0, $0.1) }
    }

    /// The example indices of `epoch`, in training order: seeded Fisher–Yates as DPOTrainer, or sequential.
    func order(epoch: Int) -> [Int] {
        var idx = Array(data.indices)
        guard config.shuffle else { return idx }
        var g = RandomGenerator(seed: config.seed, stream: UInt64(epoch))
        for i in stride(from: idx.count - 1, to: 0, by: -1) {
            let j = Int(g.nextUniform() * Float(i + 1)) % (i + 1)
            idx.swapAt(i, j)
        }
        return idx
    }

    /// The next micro-batch's example indices, advancing `state` (a partial last batch is kept).
    func nextIndices() -> [Int] {
        let ord = order(epoch: state.epoch)
        let take = Array(ord[state.position ..< min(state.position + config.perDeviceTrainBatchSize, ord.count)])
        state.position += take.count
        if state.position >= ord.count { state.epoch += 1; state.position = 0 }
        return take
    }

    /// Runs until `max_steps`, checkpointing every `save_steps` into `output_dir`. `onStep` sees every
    /// step and may return false to stop early (the checkpoint written then resumes the run exactly).
    @discardableResult
    public func train(onStep: (StepLog) -> Bool = { _ in true }) throws -> [StepLog] {
        var logs: [StepLog] = []
        while state.step < config.maxSteps {
            let log = try optimizerStep()
            logs.append(log)
            if config.saveSteps > 0 && state.step % config.saveSteps == 0 {
                try saveCheckpoint(in: URL(fileURLWithPath: config.outputDir))
            }
            if !onStep(log) { break }
        }
        return logs
    }
}
