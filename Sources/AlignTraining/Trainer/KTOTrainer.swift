// KTOTrainer: the unpaired loop of TRL 1.16's KTOTrainer (trl/trainer/kto_trainer.py) — reference
// log-probs of every example (and of its mismatched KL sequence) computed once before training from the
// frozen reference, then per optimizer step: micro-batches of prompt + completion rows → policy per-token
// log-probs (on the tape) and the policy's KL-sequence log-probs (no gradient: z₀ is a detached reference
// point) → KTOLoss (scaled by 1/micro-batches) → backward → clipping → AdamW → schedule, on TrainingLoop.
// TRL recomputes the reference per step unless `precompute_ref_log_probs`; both give the same numbers.
// Like TRL, loss types that estimate the KL term need sequential data order (the KL completions were paired
// with their neighbours in fixed chunks) and more than one row per micro-batch.
import AlignModels
import AlignTensor
import Foundation

/// Trains a DecoderModel with KTO (or its `apo_zero_unpaired` variant) on tokenized unpaired rows.
public final class KTOTrainer: LoopDriven {
    public let model: DecoderModel
    public let objective: KTOLoss
    public let config: TrainingConfig
    /// Examples with KL completions (for `kto`), already truncated to max_length.
    public let data: [TokenizedUnpaired]
    public let padID: Int32
    /// [example] reference log-probs of (prompt + completion, prompt + KL completion); the second is nil
    /// when the loss does not estimate the KL term.
    public let referenceLogps: [(Float, Float?)]
    /// Optimizer, schedule, data order, loop position and checkpoints.
    public let loop: TrainingLoop

    /// - Parameters:
    ///   - reference: the frozen reference; nil means the policy's own initial weights (computed now).
    /// - Throws: `TrainingError.invalidConfig` when `kto` meets shuffled order, batch size 1 or rows without
    ///   KL completions.
    public init(model: DecoderModel, reference: DecoderModel? = nil, objective: KTOLoss, config: TrainingConfig,
                data: [TokenizedUnpaired], padID: Int32) throws {
        if objective.config.lossType == .kto { try Self.checkKL(config, data) }
        loop = try TrainingLoop(model: model, config: config, exampleCount: data.count)
        self.model = model
        self.objective = objective
        self.config = config
        self.data = data
        self.padID = padID
        referenceLogps = try ReferenceModel.run(policy: model, reference: reference) {
            try Self.referenceLogps($0, data, padID: padID, batchSize: config.perDeviceTrainBatchSize)
        }
    }

    /// TRL's checks for loss types that estimate the KL term (KTOTrainer.__init__).
    static func checkKL(_ config: TrainingConfig, _ data: [TokenizedUnpaired]) throws {
        if config.shuffle {
            throw TrainingError.invalidConfig(field: "shuffle", value: "true",
                                              expected: "false for loss_type kto (KL completions are paired with fixed neighbours)")
        }
        if config.perDeviceTrainBatchSize <= 1 {
            throw TrainingError.invalidConfig(field: "per_device_train_batch_size", value: "\(config.perDeviceTrainBatchSize)",
                                              expected: "> 1 for loss_type kto (with 1 row the KL term equals the reward)")
        }
        if data.contains(where: { $0.klCompletion == nil }) {
            throw TrainingError.missingInput(objective: "kto", input: "KL completions (tokenize with klChunkSize)")
        }
    }

    /// Summed completion log-probs of each example and of its KL sequence under `model`, without gradients.
    static func referenceLogps(_ model: DecoderModel, _ data: [TokenizedUnpaired], padID: Int32,
                               batchSize: Int) throws -> [(Float, Float?)] {
        var out: [(Float, Float?)] = []
        for start in stride(from: 0, to: data.count, by: max(batchSize, 1)) {
            let rows = Array(data[start ..< min(start + batchSize, data.count)])
            let main = try sequenceLogps(model, UnpairedBatch.collate(rows, padID: padID))
            let kl = try UnpairedBatch.collateKL(rows, padID: padID).map { try sequenceLogps(model, $0) }
            out += main.indices.map { (main[$0], kl?[$0]) }
        }
        return out
    }

    /// Per-row summed completion log-probs of a collated batch, off the tape.
    static func sequenceLogps(_ model: DecoderModel, _ b: PreferenceBatch) throws -> [Float] {
        try Autograd.withoutGrad {
            try model.tokenLogProbs(b.ids, labels: b.labels, attentionMask: b.attentionMask).sum(axis: 1).scalars
        }
    }
}
