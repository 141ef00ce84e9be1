// BCOTrainer: Binary Classifier Optimization on unpaired rows (Jung et al. 2024, arXiv 2404.04656) as TRL's
// BCOTrainer trains it (trl/trainer/bco_trainer.py up to TRL 0.2x; TRL 1.16 no longer ships it): reference
// log-probs once from the frozen reference, then per micro-batch r = β·(log π − log π_ref) → δ ← running mean
// of every reward seen (updated before the loss) → BCOLoss → backward of loss / micro-batches; clip, AdamW,
// schedule on TrainingLoop. δ is saved in each checkpoint's trainer state so a resumed run continues it.
// Data are tokenized as TRL 1.16's KTOTrainer does (AlignData.tokenizeUnpaired without KL completions),
// not as the old BCOTrainer did (which had its own BOS/prompt-length handling).
// Metrics as its `log`: rewards/* and logps/* are sums over the step's micro-batches divided by the
// desirable / undesirable row counts, rewards/margins their difference, delta the mean over micro-batches.
// With `udm` (BCOTrainer+UDM.swift), undesirable rows are weighted by the density ratio of a logistic classifier on
// prompt embeddings (DensityRatioClassifier), as TRL's embedding_func option does.
import AlignModels
import AlignTensor
import Foundation

/// Trains a DecoderModel with BCO on tokenized unpaired rows.
public final class BCOTrainer: LoopDriven {
    public let model: DecoderModel
    /// The loss with its running reward shift δ.
    public private(set) var objective: BCOLoss
    public let config: TrainingConfig
    public let data: [TokenizedUnpaired]
    public let padID: Int32
    /// [example] reference log-probs of prompt + completion.
    public let referenceLogps: [Float]
    /// Optimizer, schedule, data order, loop position and checkpoints.
    public let loop: TrainingLoop
    /// UDM's prompt embeddings and ratio range, when the density-ratio weighting is on.
    public let udm: UDMSettings?
    /// The UDM classifier fitted at construction (nil without `udm`).
    public let classifier: DensityRatioClassifier?

    /// - Parameters:
    ///   - reference: the frozen reference; nil means the policy's own initial weights (computed now).
    ///   - udm: prompt embeddings for underlying distribution matching (fits the classifier now); nil: weights 1.
    public init(model: DecoderModel, reference: DecoderModel? = nil, objective: BCOLoss, config: TrainingConfig,
                data: [TokenizedUnpaired], padID: Int32, udm: UDMSettings? = nil) throws {
        loop = try TrainingLoop(model: model, config: config, exampleCount: data.count)
        self.model = model
        self.udm = udm
        classifier = try udm.map { try Self.fitClassifier($0, data: data, seed: config.seed) }
        var objective = objective
        if let udm { (objective.minDensityRatio, objective.maxDensityRatio) = (udm.minDensityRatio, udm.maxDensityRatio) }
        self.objective = objective
        self.config = config
        self.data = data
        self.padID = padID
        var refs: [Float] = []
        for start in stride(from: 0, to: data.count, by: config.perDeviceTrainBatchSize) {
            let rows = Array(data[start ..< min(start + config.perDeviceTrainBatchSize, data.count)])
            refs += try KTOTrainer.sequenceLogps(reference ?? model, UnpairedBatch.collate(rows, padID: padID))
        }
        referenceLogps = refs
    }

    /// Loss (on the tape) with the micro-batch's metric sums (delta, and per side rewards, logps and row counts),
    /// and its token count; updates δ.
    func microBatch(_ indices: [Int]) throws -> (ObjectiveOutput, tokens: Int) {
        let rows = indices.map { data[$0] }
        let b = UnpairedBatch.collate(rows, padID: padID)
        let logps = (try model.tokenLogProbs(b.ids, labels: b.labels, attentionMask: b.attentionMask) * b.completionMask).sum(axis: 1)  // [N]
        let ratios = logps - (try Tensor(indices.map { referenceLogps[$0] }, shape: [indices.count]))
        let labels = rows.map(\.label)
        let out = objective.compute(ratios: ratios, labels: labels, desirableProbability: desirableProbabilities(indices),
                                    training: true)
        let (lp, rw) = (logps.scalars, ratios.scalars.map { Double($0) * objective.beta })
        var sums: [String: Double] = ["delta": out.metrics["delta"] ?? 0]
        for (i, desirable) in labels.enumerated() {
            let side = desirable ? "chosen" : "rejected"
            sums["rewards/\(side)", default: 0] += rw[i]
            sums["logps/\(side)", default: 0] += Double(lp[i])
            sums["count/\(side)", default: 0] += 1
        }
        return (ObjectiveOutput(loss: out.loss, metrics: sums), b.attentionMask.reduce(0) { $0 + $1.reduce(0) { $0 + Int($1) } })
    }

    /// Runs the step's micro-batches (metrics summed, then made per-row means) and one AdamW update; keeps δ in the
    /// loop state, so the step's checkpoint carries it. Returns the step's log.
    public func optimizerStep() throws -> StepLog {
        try loop.averagedStep(microBatch, reduction: .sum) { metrics, microBatches in
            metrics = Self.stepMetrics(sums: metrics, microBatches: microBatches)
            loop.state.objectiveState = ["mean": objective.shift.mean, "count": objective.shift.count]
        }
    }

    /// The step's metrics from its micro-batches' sums: rewards/* and logps/* per desirable / undesirable row,
    /// rewards/margins their difference, delta the mean over micro-batches.
    static func stepMetrics(sums: [String: Double], microBatches: Int) -> [String: Double] {
        var metrics: [String: Double] = ["delta": (sums["delta"] ?? 0) / Double(microBatches)]
        for side in ["chosen", "rejected"] {
            guard let n = sums["count/\(side)"], n > 0 else { continue }
            metrics["rewards/\(side)"] = (sums["rewards/\(side)"] ?? 0) / n
            metrics["logps/\(side)"] = (sums["logps/\(side)"] ?? 0) / n
        }
        if let c = metrics["rewards/chosen"], let r = metrics["rewards/rejected"] { metrics["rewards/margins"] = c - r }
        return metrics
    }

    /// Restores weights, optimizer, scheduler, loop position and δ from a checkpoint folder.
    public func resume(from checkpoint: URL) throws {
        try loop.resume(from: checkpoint)
        guard let s = loop.state.objectiveState, let mean = s["mean"], let count = s["count"] else {
            throw TrainingError.missingInput(objective: "bco", input: "the running reward mean in \(checkpoint.path)/trainer_state.json")
        }
        (objective.shift.mean, objective.shift.count) = (mean, count)
    }
}
