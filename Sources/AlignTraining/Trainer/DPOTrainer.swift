// DPOTrainer: the pairwise loop — reference log-probs precomputed once (skipped for reference-free
// objectives: CPO, SimPO, ORPO), then per optimizer step: gradient_accumulation_steps micro-batches (fewer
// at an epoch's end, as transformers' Trainer) of [chosen; rejected] → policy per-token log-probs →
// the pairwise loss (scaled by 1/micro-batches) → backward → global-norm clipping → AdamW → LR
// schedule. Data order is a seeded permutation per epoch (or sequential), so a run is reproducible
// and a checkpoint can resume it exactly; those shared pieces live in TrainingLoop. With TR-DPO's
// `sync_ref_model` (ReferenceSync) the reference is a live model instead: its log-probs are computed per
// micro-batch, it is mixed toward the policy every τ steps, and checkpoints carry its weights
// (DPOTrainer+Reference.swift).
import AlignModels
import AlignTensor
import Foundation

/// Trains a DecoderModel with a pairwise objective (the DPO family, CPO/SimPO, ORPO) on tokenized pairs.
public final class DPOTrainer: LoopDriven {
    public let model: DecoderModel
    public let objective: any PairwiseObjective
    public let config: TrainingConfig
    public let data: [TokenizedPreference]
    public let padID: Int32
    /// [example] (chosen, rejected) reference sequence log-probs, computed once before training
    /// (empty when the objective is reference-free, or with `sync_ref_model`, whose reference runs per batch).
    public let referenceLogps: [(Float, Float)]
    /// True when `referenceLogps` came from the on-disk cache.
    public private(set) var referenceCacheHit = false
    /// TR-DPO's reference sync settings (off by default).
    public let referenceSync: ReferenceSync
    /// Whether a pair whose two sequences share their prompt runs as one packed row [prompt, chosen, rejected]
    /// (PackedCompletions; the same values up to summation order, about a quarter less work) rather than TRL's two
    /// rows. Used for the policy and the reference alike.
    public let sharePrompt: Bool
    /// The live reference when `referenceSync.syncRefModel` is on (then `referenceLogps` is empty): the given
    /// reference, or a copy of the policy's initial weights; mixed toward the policy every τ steps.
    public let liveReference: DecoderModel?
    /// Optimizer, schedule, data order, loop position and checkpoints.
    public let loop: TrainingLoop

    /// - Parameters:
    ///   - reference: the frozen reference; nil means the policy's own initial weights (computed now).
    ///     Unused when `objective.needsReference` is false.
    ///   - referenceCache: where reference log-probs are looked up and stored (keyed by reference weights, data, pad
    ///     id, batch size and `sharePrompt`); nil computes them every run.
    ///   - referenceSync: TR-DPO's `sync_ref_model`; when on, `reference` (or a copy of the policy) stays live and is
    ///     updated in place.
    ///   - sharePrompt: run each pair with a shared prompt as one packed row (see `sharePrompt`).
    /// - Throws: `TrainingError.invalidConfig` for a bad config, or `sync_ref_model` combined with a reference cache,
    ///   a reference-free objective, LoRA adapters, or a reference whose parameters differ from the policy's.
    public init(model: DecoderModel, reference: DecoderModel? = nil, objective: any PairwiseObjective, config: TrainingConfig,
                data: [TokenizedPreference], padID: Int32, referenceCache: ReferenceLogpsCache? = nil,
                referenceSync: ReferenceSync = ReferenceSync(), sharePrompt: Bool = true) throws {
        loop = try TrainingLoop(model: model, config: config, exampleCount: data.count)
        self.model = model
        self.objective = objective
        self.config = config
        self.data = data
        self.padID = padID
        self.referenceSync = referenceSync
        self.sharePrompt = sharePrompt
        liveReference = try Self.liveReference(policy: model, reference: reference, objective: objective,
                                               cache: referenceCache, sync: referenceSync)
        if let live = liveReference { loop.checkpointExtras.append(Self.referenceCheckpoint(live)) }
        let ref = reference ?? model, batchSize = config.perDeviceTrainBatchSize
        let compute = {  // the base with adapters bypassed under LoRA (ReferenceModel)
            try ReferenceModel.run(policy: model, reference: reference) { try Self.sequenceLogps($0, data, padID: padID, batchSize: batchSize,
                                                                                                      sharePrompt: sharePrompt) }
        }
        if !objective.needsReference || liveReference != nil {
            referenceLogps = []
        } else if let referenceCache {
            let key = ReferenceLogpsCache.key(reference: ref, data: data, padID: padID, batchSize: batchSize, sharePrompt: sharePrompt)
            (referenceLogps, referenceCacheHit) = try referenceCache.logps(key: key, count: data.count, compute: compute)
        } else {
            referenceLogps = try compute()
        }
    }

    static func schedule(_ c: TrainingConfig) -> LRSchedule { TrainingLoop.schedule(c) }

    /// Summed completion log-probs of every example under `model`, without recording gradients.
    static func sequenceLogps(_ model: DecoderModel, _ data: [TokenizedPreference], padID: Int32,
                              batchSize: Int, sharePrompt: Bool = true) throws -> [(Float, Float)] {
        var out: [(Float, Float)] = []
        for start in stride(from: 0, to: data.count, by: max(batchSize, 1)) {
            let examples = Array(data[start ..< min(start + batchSize, data.count)])
            let sums = try Autograd.withoutGrad {
                try completionLogps(model, examples, padID: padID, sharePrompt: sharePrompt).sequenceLogps().scalars
            }
            let b = examples.count
            out += (0 ..< b).map { (sums[$0], sums[b + $0]) }
        }
        return out
    }

    /// The example indices of `epoch`, in training order (TrainingLoop.order).
    func order(epoch: Int) -> [Int] { loop.order(epoch: epoch) }

    /// The next micro-batch's example indices, advancing the loop position.
    func nextIndices() -> [Int] { loop.nextIndices() }
}
