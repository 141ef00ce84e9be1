// ListwiseTrainer: PRO and LiPO-λ on ranked rows (K completions per prompt). TRL has no listwise trainer,
// so the loop is ours on the shared TrainingLoop, with the conventions of the other trainers: per micro-batch
// the B lists' B·K sequences (prompt + completion, list-major) go through the policy once → per-sequence
// summed log-probs and completion token counts → [B, K] → the objective → backward of loss / micro-batches;
// then clip, AdamW, schedule.
//  * PRO (Song et al. 2023, ListwiseLosses.swift): completions sorted best first by score (stable); scores
//    s = length-normalized log-likelihoods (sum / completion tokens, as the PRO code does); the data scores act
//    as the rewards that set PRO's temperatures; the SFT term uses the best completion's summed log-prob.
//    Reference-free: no reference pass.
//  * LiPO-λ (Liu et al. 2024): ρ = summed log π − summed log π_ref per completion (reference computed once
//    before training), labels ψ = the data scores.
import AlignData
import AlignModels
import AlignTensor
import Foundation

/// One tokenized ranked row; defined in AlignData.
public typealias TokenizedRanked = AlignData.TokenizedRanked

/// A listwise objective and its settings.
public enum ListwiseObjective {
    case pro(PROLoss)
    case lipo(LiPOLoss)
}

/// Trains a DecoderModel with PRO or LiPO-λ on tokenized ranked rows.
public final class ListwiseTrainer: LoopDriven {
    public let model: DecoderModel
    public let objective: ListwiseObjective
    public let config: TrainingConfig
    /// Rows with completions sorted best first (stable), scores sorted alike.
    public let data: [TokenizedRanked]
    public let padID: Int32
    /// [example][K] reference summed log-probs (LiPO only; empty for PRO).
    public let referenceLogps: [[Float]]
    /// Optimizer, schedule, data order, loop position and checkpoints.
    public let loop: TrainingLoop

    /// - Parameters:
    ///   - reference: LiPO's frozen reference; nil means the policy's own initial weights (computed now).
    public init(model: DecoderModel, reference: DecoderModel? = nil, objective: ListwiseObjective, config: TrainingConfig,
                data: [TokenizedRanked], padID: Int32) throws {
        loop = try TrainingLoop(model: model, config: config, exampleCount: data.count)
        self.model = model
        self.objective = objective
        self.config = config
        self.data = data.map(Self.sortedBestFirst)
        self.padID = padID
        guard case .lipo = objective else { referenceLogps = []; return }
        let rows = self.data, batchSize = max(config.perDeviceTrainBatchSize, 1)
        referenceLogps = try ReferenceModel.run(policy: model, reference: reference) { ref in
            try Self.referenceLogps(ref, rows, batchSize: batchSize, padID: padID)
        }
    }

    /// [example][K] summed log-probs under `ref`, in micro-batches of the training batch size in file order.
    /// Why batched like training: sgemm's last bits depend on the row count of the product, and LiPO-λ's
    /// weights rank the ratios, so at policy = reference (all ratios 0) only bit-equal sums keep the ties exact;
    /// an unshuffled run's first step then sees exactly the batches computed here.
    static func referenceLogps(_ ref: DecoderModel, _ rows: [TokenizedRanked], batchSize: Int,
                               padID: Int32) throws -> [[Float]] {
        var out: [[Float]] = []
        for start in stride(from: 0, to: rows.count, by: batchSize) {
            let chunk = Array(rows[start ..< min(start + batchSize, rows.count)])
            let k = chunk.first?.completions.count ?? 0
            let sums = try Autograd.withoutGrad { try sequenceLogps(ref, chunk, padID: padID).sums.scalars }  // [B·K]
            out += (0 ..< chunk.count).map { Array(sums[$0 * k ..< ($0 + 1) * k]) }
        }
        return out
    }

    /// The row with completions and scores ordered by descending score, ties keeping file order.
    static func sortedBestFirst(_ r: TokenizedRanked) -> TokenizedRanked {
        let order = r.scores.indices.sorted { r.scores[$0] > r.scores[$1] || (r.scores[$0] == r.scores[$1] && $0 < $1) }
        return TokenizedRanked(prompt: r.prompt, completions: order.map { r.completions[$0] }, scores: order.map { r.scores[$0] })
    }

    /// [B, K] summed completion log-probs of `rows` (on the tape), their [B][K] token counts and the batch's tokens.
    static func sequenceLogps(_ model: DecoderModel, _ rows: [TokenizedRanked],
                              padID: Int32) throws -> (sums: Tensor, counts: [[Int]], tokens: Int) {
        let k = rows.first?.completions.count ?? 0
        let seqs = rows.flatMap { r in r.completions.map { (prompt: r.prompt, completion: $0) } }
        let b = PreferenceBatch.collate(rows: seqs, padID: padID)
        let logps = try model.tokenLogProbs(b.ids, labels: b.labels, attentionMask: b.attentionMask)  // [B·K, T]
        let sums = (logps * b.completionMask).sum(axis: 1).reshaped([rows.count, k])  // [B, K]
        let counts = rows.map { $0.completions.map(\.count) }
        return (sums, counts, b.attentionMask.reduce(0) { $0 + $1.reduce(0) { $0 + Int($1) } })
    }

    /// Loss and metrics of one micro-batch (on the tape), and its token count.
    func microBatch(_ indices: [Int]) throws -> (ObjectiveOutput, tokens: Int) {
        let rows = indices.map { data[$0] }
        let (sums, counts, tokens) = try Self.sequenceLogps(model, rows, padID: padID)
        switch objective {
        case .pro(let loss):
            // Length-normalized scores: divide each sum by its completion token count (≥ 1 after add_eos).
            let inv = try Tensor(counts.flatMap { $0.map { 1 / Float(Swift.max($0, 1)) } }, shape: sums.shape)
            let best = column(sums, 0)  // [B] the SFT target's summed log-prob
            return (loss.compute(scores: sums * inv, rewards: rows.map(\.scores), sftLogps: best), tokens)
        case .lipo(let loss):
            let ref = try Tensor(indices.flatMap { referenceLogps[$0] }, shape: sums.shape)
            return (loss.compute(ratios: sums - ref, labels: rows.map(\.scores)), tokens)
        }
    }

    /// The objective's loss on the examples at `indices` under the current weights (recorded on the tape).
    public func loss(of indices: [Int]) throws -> Tensor { try microBatch(indices).0.loss }

    /// Runs the step's micro-batches (metrics averaged over them, tokens counted) and one AdamW update.
    public func optimizerStep() throws -> StepLog { try loop.averagedStep(microBatch) }
}
