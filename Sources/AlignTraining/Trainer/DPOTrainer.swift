// DPOTrainer: the pairwise loop — reference log-probs precomputed once, then per optimizer step:
// gradient_accumulation_steps micro-batches of [chosen; rejected] → policy per-token log-probs →
// the DPO-family loss (scaled by 1/accumulation) → backward → global-norm clipping → AdamW → LR
// schedule. Data order is a seeded permutation per epoch (or sequential), so a run is reproducible
// and a checkpoint can resume it exactly (TrainerCheckpoint.swift).
import AlignModels
import AlignTensor
import Foundation

/// One logged optimizer step, in TRL's log vocabulary.
public struct StepLog: Codable, Sendable, Equatable {
    public var step: Int
    public var epoch: Double
    public var loss: Double
    public var learningRate: Double
    public var gradNorm: Double
    public var metrics: [String: Double]

    /// A flat JSON object: `step`, `epoch`, `loss`, `learning_rate`, `grad_norm`, then the metric names.
    public func jsonLine() -> String {
        var fields: [(String, Double)] = [("epoch", epoch), ("loss", loss), ("learning_rate", learningRate), ("grad_norm", gradNorm)]
        fields += metrics.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let body = fields.map { "\"\($0.0)\": \($0.1.isFinite ? "\($0.1)" : "null")" }.joined(separator: ", ")
        return "{\"step\": \(step), \(body)}"
    }
}

/// Where the loop is: what a checkpoint must restore besides weights and optimizer state.
public struct TrainerState: Codable, Sendable, Equatable {
    public var step = 0
    public var epoch = 0
    /// Examples of the current epoch's order already consumed.
    public var position = 0
}

/// Trains a DecoderModel with a DPO-family objective on tokenized pairs.
public final class DPOTrainer {
    public let model: DecoderModel
    public let objective: DPOLoss
    public let config: TrainingConfig
    public let data: [TokenizedPreference]
    public let padID: Int32
    /// [example] (chosen, rejected) reference sequence log-probs, computed once before training.
    public let referenceLogps: [(Float, Float)]
    public let optimizer: AdamW
    public internal(set) var scheduler: LRScheduler
    public internal(set) var state = TrainerState()

    /// - Parameters:
    ///   - reference: the frozen reference; nil means the policy's own initial weights (computed now).
    public init(model: DecoderModel, reference: DecoderModel? = nil, objective: DPOLoss, config: TrainingConfig,
                data: [TokenizedPreference], padID: Int32) throws {
        try config.validate()
        guard !data.isEmpty else { throw TrainingError.invalidConfig(field: "train_dataset", value: "0 rows", expected: "at least one example") }
        self.model = model
        self.objective = objective
        self.config = config
        self.data = data
        self.padID = padID
        referenceLogps = try Self.sequenceLogps(reference ?? model, data, padID: padID, batchSize: config.perDeviceTrainBatchSize)
        // Base parameters that are trainable (full fine-tuning) plus attached LoRA adapters (PEFT names).
        let params = (model.namedParameters() + model.loraParameters()).filter { $0.1.requiresGrad }
            .map { NamedParameter($0.0, $0.1) }
        guard !params.isEmpty else {  // a loaded model starts frozen: training it would silently do nothing
            throw TrainingError.invalidConfig(field: "model", value: "no trainable parameters",
                                              expected: "setTrainable(true) for full fine-tuning, or attached LoRA adapters")
        }
        optimizer = try AdamW(ParameterGroup.split(params, lr: config.learningRate, weightDecay: config.weightDecay,
                                                   noDecay: ParameterGroup.isBiasOrNorm))
        scheduler = LRScheduler(optimizer, schedule: Self.schedule(config))
    }

    static func schedule(_ c: TrainingConfig) -> LRSchedule {
        switch c.lrSchedulerType {
        case "cosine": return .cosine(warmupSteps: c.warmupSteps, totalSteps: c.maxSteps)
        case "constant": return .constant
        case "constant_with_warmup": return .constantWithWarmup(warmupSteps: c.warmupSteps)
        default: return .linear(warmupSteps: c.warmupSteps, totalSteps: c.maxSteps)
        }
    }

    /// Summed completion log-probs of every example under `model`, without recording gradients.
    static func sequenceLogps(_ model: DecoderModel, _ data: [TokenizedPreference], padID: Int32,
                              batchSize: Int) throws -> [(Float, Float)] {
        var out: [(Float, Float)] = []
        for start in stride(from: 0, to: data.count, by: max(batchSize, 1)) {
            let batch = PreferenceBatch.collate(Array(data[start ..< min(start + batchSize, data.count)]), padID: padID)
            let sums = try Autograd.withoutGrad {
                try model.tokenLogProbs(batch.ids, labels: batch.labels, attentionMask: batch.attentionMask).sum(axis: 1).scalars
            }
            let b = batch.pairs
            out += (0 ..< b).map { (sums[$0], sums[b + $0]) }
        }
        return out
    }

    /// The example indices of `epoch`, in training order (seeded Fisher–Yates, or sequential).
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

    /// Runs until `max_steps`. `onStep` sees every logged step and may return false to stop early
    /// (the checkpoint written at that point resumes the run exactly).
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
