// RewardTrainer: trains a scalar-head model (SequenceClassifier) on preference pairs as TRL 1.16's
// RewardTrainer does (trl/trainer/reward_trainer.py): per optimizer step, gradient_accumulation_steps
// micro-batches of [chosen₁…chosen_B; rejected₁…rejected_B] right-padded with the pad id
// (DataCollatorForPreference) → one reward per row, read at the rightmost non-pad token → the
// Bradley–Terry loss of RewardLoss (−log σ(r_c − r_r − margin), + center_rewards_coefficient ·
// mean((r_c + r_r)²)) scaled by 1/accumulation → backward → global-norm clipping → AdamW → LR schedule.
// Logged metrics use TRL's names: accuracy, margin, min_reward, mean_reward, max_reward, num_tokens.
// Full fine-tuning or LoRA (adapters + the head, PEFT's modules_to_save). Optimizer, schedule, data
// order, the epoch's last short accumulation, checkpoints and the run driver are TrainingLoop's.
// TrainingConfig's defaults are DPO's; TRL's RewardConfig uses learning_rate 1e-4 (`align train reward`
// applies it).
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
public final class RewardTrainer: LoopDriven {
    public let model: SequenceClassifier
    public let objective: RewardLoss
    public let config: TrainingConfig
    public let data: [TokenizedRewardPair]
    /// The id rows are padded with (the model's pad_token_id, which also decides the pooled token).
    public let padID: Int32
    /// Optimizer, schedule, data order, loop position (with the token count) and checkpoints.
    public let loop: TrainingLoop
    /// Non-pad tokens seen in training so far (TRL's `num_tokens`: the attention mask's sum).
    public var numTokens: Int { loop.state.numTokens ?? 0 }

    /// - Throws: `TrainingError.invalidConfig` for a bad config, no data, a model with num_labels ≠ 1 or no
    ///   pad id, margins on some pairs only, or nothing trainable.
    public init(model: SequenceClassifier, objective: RewardLoss, config: TrainingConfig, data: [TokenizedRewardPair]) throws {
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
        loop = try TrainingLoop(parameters: Self.trainableParameters(model), config: config, exampleCount: data.count)
        self.model = model
        self.objective = objective
        self.config = config
        self.data = data
        padID = Int32(pad)
    }

    /// With LoRA: the adapters and the head under PEFT's names; otherwise every trainable tensor under
    /// transformers' names.
    static func trainableParameters(_ model: SequenceClassifier) -> [NamedParameter] {
        let named = model.base.loraConfig != nil ? model.loraParameters() : model.namedParameters()
        return named.filter { $0.1.requiresGrad }.map { NamedParameter($0.0, $0.1) }
    }
}
