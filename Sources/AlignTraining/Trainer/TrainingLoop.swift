// TrainingLoop: the pieces every trainer shares, whatever its loss — the AdamW optimizer over the model's
// trainable parameters (full fine-tuning or attached LoRA adapters; no weight decay on biases and norms, as
// transformers' Trainer groups them), the LR schedule, the seeded per-epoch data order and the loop position,
// the end of an optimizer step (global-norm clipping → AdamW → schedule), checkpoints for exact resume
// (TrainingLoop+Checkpoint.swift), the usual averaged optimizer step (TrainingLoop+Step.swift) and the
// run-until-max_steps driver. A trainer (DPOTrainer, SFTTrainer) owns one, computes only its micro-batch losses,
// and gets its checkpoint, resume and train methods from LoopDriven.
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
    /// Tokens seen so far (SFT's `num_tokens`); absent in checkpoints of trainers that do not count them.
    public var numTokens: Int?
    /// Objective state that evolves with training (BCO's running reward mean: "mean", "count"); absent otherwise.
    public var objectiveState: [String: Double]?
}

/// Optimizer, schedule, data order and loop position shared by the trainers.
public final class TrainingLoop {
    /// The run's settings (validated), with `maxSteps` resolved to the optimizer steps this run trains
    /// (`num_train_epochs` turned into steps when `max_steps` is -1; TrainingConfig.resolvedMaxSteps).
    public let config: TrainingConfig
    /// Number of training examples (the order permutes 0..<exampleCount).
    public let exampleCount: Int
    /// AdamW over the trainable parameters (two groups: with and without weight decay).
    public let optimizer: AdamW
    /// The learning-rate schedule driving `optimizer`.
    public internal(set) var scheduler: LRScheduler
    /// Step, epoch, position in the epoch's order, tokens seen.
    public internal(set) var state = TrainerState()
    /// Weights a trainer keeps besides the trainable ones (TR-DPO's live reference), saved in and restored from
    /// every checkpoint (TrainingLoop+Checkpoint.swift).
    public var checkpointExtras: [CheckpointExtra] = []

    /// The loop over `model`'s trainable parameters: base parameters with `requiresGrad` (full fine-tuning)
    /// plus attached LoRA adapters (PEFT names).
    /// - Throws: `TrainingError.invalidConfig` for a bad config, no examples, or a model with nothing trainable.
    public convenience init(model: DecoderModel, config: TrainingConfig, exampleCount: Int) throws {
        let params = (model.namedParameters() + model.loraParameters()).filter { $0.1.requiresGrad }
            .map { NamedParameter($0.0, $0.1) }
        try self.init(parameters: params, config: config, exampleCount: exampleCount)
    }

    /// The loop over `parameters` (the trainable ones, under the names checkpoints store them by), for
    /// trainers whose model is not a bare DecoderModel (e.g. RewardTrainer's SequenceClassifier).
    /// - Throws: `TrainingError.invalidConfig` for a bad config, no examples, or no parameters.
    public init(parameters params: [NamedParameter], config: TrainingConfig, exampleCount: Int) throws {
        try config.validate()
        guard exampleCount > 0 else {
            throw TrainingError.invalidConfig(field: "train_dataset", value: "0 rows", expected: "at least one example")
        }
        var resolved = config
        resolved.maxSteps = config.resolvedMaxSteps(exampleCount: exampleCount)
        self.config = resolved
        self.exampleCount = exampleCount
        guard !params.isEmpty else {  // a loaded model starts frozen: training it would silently do nothing
            throw TrainingError.invalidConfig(field: "model", value: "no trainable parameters",
                                              expected: "setTrainable(true) for full fine-tuning, or attached LoRA adapters")
        }
        optimizer = try AdamW(ParameterGroup.split(params, lr: config.learningRate, weightDecay: config.weightDecay,
                                                   noDecay: ParameterGroup.isBiasOrNorm))
        scheduler = LRScheduler(optimizer, schedule: Self.schedule(resolved))
    }

    /// The LR schedule named by `lr_scheduler_type` (transformers' get_scheduler over max_steps).
    public static func schedule(_ c: TrainingConfig) -> LRSchedule {
        switch c.lrSchedulerType {
        case "cosine": return .cosine(warmupSteps: c.warmupSteps, totalSteps: c.maxSteps)
        case "constant": return .constant
        case "constant_with_warmup": return .constantWithWarmup(warmupSteps: c.warmupSteps)
        default: return .linear(warmupSteps: c.warmupSteps, totalSteps: c.maxSteps)
        }
    }

    /// The example indices of `epoch`, in training order (seeded Fisher–Yates, or sequential).
    public func order(epoch: Int) -> [Int] {
        var idx = Array(0 ..< exampleCount)
        guard config.shuffle else { return idx }
        var g = RandomGenerator(seed: config.seed, stream: UInt64(epoch))
        for i in stride(from: idx.count - 1, to: 0, by: -1) {
            let j = Int(g.nextUniform() * Float(i + 1)) % (i + 1)
            idx.swapAt(i, j)
        }
        return idx
    }

    /// The next micro-batch's example indices, advancing `state` (a partial last batch is kept).
    public func nextIndices() -> [Int] {
        let ord = order(epoch: state.epoch)
        let take = Array(ord[state.position ..< min(state.position + config.perDeviceTrainBatchSize, ord.count)])
        state.position += take.count
        if state.position >= ord.count { state.epoch += 1; state.position = 0 }
        return take
    }

    /// The micro-batches of the next optimizer step: `gradient_accumulation_steps` of them, or fewer when the
    /// epoch ends first — transformers' Trainer gives the last update of an epoch only the remaining batches
    /// (`remainder = steps_in_epoch % gradient_accumulation_steps`, trainer.py `_inner_training_loop`).
    public func nextStepIndices() -> [[Int]] {
        var out: [[Int]] = []
        for _ in 0 ..< config.gradientAccumulationSteps {
            out.append(nextIndices())
            if state.position == 0 { break }  // the epoch ended with this micro-batch
        }
        return out
    }

    /// Accumulates the gradients of the next step's micro-batches (`nextStepIndices`). `microBatch` runs one of
    /// them on the tape and returns its loss (a batch mean); it also receives the step's micro-batch count, by
    /// which it averages its own metrics. Each loss is back-propagated divided by that count, so the gradient is
    /// the mean over the effective batch (transformers' Trainer: loss / current_gradient_accumulation_steps, the
    /// remainder at an epoch's end). Returns the step's mean loss.
    public func accumulateStep(_ microBatch: (_ indices: [Int], _ microBatches: Int) throws -> Tensor) rethrows -> Double {
        let batches = nextStepIndices()
        var loss = 0.0
        for indices in batches {
            Profile.resetMark()
            let l = try Profile.measure("step forward") { try microBatch(indices, batches.count) }
            Profile.measure("step backward") { (l * (1 / Float(batches.count))).backward() }
            loss += Double(l.item()) / Double(batches.count)
        }
        return loss
    }

    /// Ends an optimizer step whose gradients are accumulated: clips, updates, schedules, and returns its log.
    /// `learning_rate` is the rate the update used; `grad_norm` the norm before clipping (transformers' logs).
    public func finishStep(loss: Double, metrics: [String: Double]) -> StepLog {
        let lr = optimizer.groups.first?.lr ?? 0
        let norm = Profile.measure("step clip") { clipGradNorm(optimizer.parameters, maxNorm: config.maxGradNorm) }
        Profile.measure("step optimizer") { optimizer.step() }
        Profile.measure("step zeroGrad") { optimizer.zeroGrad() }
        scheduler.step()
        state.step += 1
        // transformers' Trainer: epoch + micro-batches consumed / micro-batches per epoch (the last one may be partial).
        let bs = config.perDeviceTrainBatchSize
        let batchesPerEpoch = (exampleCount + bs - 1) / bs
        let epoch = Double(state.epoch) + Double((state.position + bs - 1) / bs) / Double(batchesPerEpoch)
        return StepLog(step: state.step, epoch: epoch, loss: loss, learningRate: lr, gradNorm: Double(norm), metrics: metrics)
    }

    /// Adds `n` to the token count (starting it at 0).
    public func countTokens(_ n: Int) {
        state.numTokens = (state.numTokens ?? 0) + n
    }

    /// Runs `optimizerStep` until `max_steps`, checkpointing every `save_steps` into `output_dir`.
    /// `onStep` sees every step and may return false to stop early (the checkpoint written at that
    /// point resumes the run exactly).
    public func run(_ optimizerStep: () throws -> StepLog, onStep: (StepLog) -> Bool) throws -> [StepLog] {
        var logs: [StepLog] = []
        while state.step < config.maxSteps {
            let log = try optimizerStep()
            logs.append(log)
            // The step is reported (metrics.jsonl written) before its checkpoint: a kill between the two
            // leaves a log one step ahead of the last checkpoint, which resume trims and rewrites. The other
            // order lost that step's line for good (found by the SIGKILL test, TrainKillResumeTests).
            let proceed = onStep(log)
            if config.saveSteps > 0 && state.step % config.saveSteps == 0 {
                try saveCheckpoint(in: URL(fileURLWithPath: config.outputDir))
            }
            if !proceed { break }
        }
        return logs
    }
}
