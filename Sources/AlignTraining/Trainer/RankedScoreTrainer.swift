// RankedScoreTrainer: four objectives that learn from scored completions, trained on the ranked rows
// {prompt, completions, scores | ranks} that ListwiseTrainer reads (AlignData.RankedExample), on the shared
// TrainingLoop (gradient accumulation, clipping, AdamW, schedule, checkpoints, exact resume):
//  * AFT's constraint alignment loss (Wang et al. 2023, arXiv 2309.02144; AFTLoss, UNVERIFIED form): per list,
//    the completions whose score is above `threshold` are the positives (the paper's "correct" CoTs), the rest
//    the negatives; s = length-normalized completion log-likelihood; a list without negatives contributes only
//    its VFT term −mean s_p. Reference-free.
//  * CoPG (Flet-Berliac et al. 2024, arXiv 2406.19185; CoPGLoss, UNVERIFIED constants): every pair i < j of a
//    list's completions is a (y, y′) pair with the data scores as rewards R; ρ = summed log π − summed log π_ref,
//    the reference log-probs computed once before training from the initial policy (or `reference`).
//  * D2O (Duan et al. 2024, arXiv 2403.03419; D2OLoss, UNVERIFIED form): each list is the K self-generated samples
//    followed by the human negative (AlignData.D2OExample); ρ against the same precomputed reference, which serves
//    as both π_r⁻ and π_r⁺ (the paper's online refresh of the sample-side reference is not implemented).
//  * POSFT (Fan et al. 2024, arXiv 2412.12865; POSFTLoss, UNVERIFIED β and aggregation): each row has one completion
//    (the SFT target) and its `scores` are the frozen aligned models' length-normalized log-likelihoods of it; the
//    policy's own s_θ is compared with their mean. Reference-free (the aligned scores are the anchor).
// Per micro-batch the lists' completions go through the policy in one forward (list-major, as ListwiseTrainer),
// and the loss is the mean over lists (AFT) or over all pairs of the micro-batch (CoPG).
import AlignData
import AlignModels
import AlignTensor
import Foundation

/// AFT, CoPG, D2O or POSFT with its settings.
public enum RankedScoreObjective {
    /// AFT: completions with score > `threshold` are positives, the others negatives.
    case aft(AFTLoss, threshold: Double)
    /// CoPG on every pair of a list's completions, with the data scores as rewards.
    case copg(CoPGLoss)
    /// D2O: each list's last completion is the human negative, the others the model's own samples.
    case d2o(D2OLoss)
    /// POSFT: one completion per row, `scores` = the M aligned models' length-normalized log-likelihoods of it.
    case posft(POSFTLoss)

    /// CoPG and D2O compare to a reference; AFT and POSFT do not.
    public var needsReference: Bool {
        switch self {
        case .copg, .d2o: return true
        case .aft, .posft: return false
        }
    }
}

/// Trains a DecoderModel with AFT, CoPG, D2O or POSFT on tokenized ranked rows.
public final class RankedScoreTrainer: LoopDriven {
    public let model: DecoderModel
    public let objective: RankedScoreObjective
    public let config: TrainingConfig
    public let data: [TokenizedRanked]
    public let padID: Int32
    /// [example][K] reference summed completion log-probs (CoPG and D2O; empty for AFT).
    public let referenceLogps: [[Float]]
    /// Optimizer, schedule, data order, loop position and checkpoints.
    public let loop: TrainingLoop

    /// - Parameter reference: CoPG's and D2O's frozen reference; nil means the policy's own initial weights (computed now).
    /// - Throws: `TrainingError.invalidConfig` when an AFT list has no completion above the threshold.
    public init(model: DecoderModel, reference: DecoderModel? = nil, objective: RankedScoreObjective, config: TrainingConfig,
                data: [TokenizedRanked], padID: Int32) throws {
        if case .aft(_, let threshold) = objective, let i = data.firstIndex(where: { !$0.scores.contains { $0 > threshold } }) {
            throw TrainingError.invalidConfig(
                field: "aft_threshold", value: "\(threshold)",
                expected: "a value below the best score of every list (list \(i + 1) has no completion scored above it)")
        }
        if case .d2o = objective, let i = data.firstIndex(where: { $0.completions.count != (data.first?.completions.count ?? 0) }) {
            throw TrainingError.invalidConfig(field: "train_dataset", value: "list \(i + 1) has \(data[i].completions.count) completions",
                                              expected: "the same number of samples + 1 negative in every D2O row")
        }
        if case .posft = objective, let i = data.firstIndex(where: { $0.completions.count != 1 || $0.scores.isEmpty
                                                                         || $0.scores.count != data[0].scores.count }) {
            throw TrainingError.invalidConfig(field: "train_dataset", value: "row \(i + 1): \(data[i].completions.count) completions, "
                                              + "\(data[i].scores.count) aligned scores",
                                              expected: "one completion and the same number (≥ 1) of aligned-model scores in every POSFT row")
        }
        loop = try TrainingLoop(model: model, config: config, exampleCount: data.count)
        self.model = model
        self.objective = objective
        self.config = config
        self.data = data
        self.padID = padID
        guard objective.needsReference else { referenceLogps = []; return }
        let ref = reference ?? model
        referenceLogps = try data.map { row in try Autograd.withoutGrad { try Self.sequenceLogps(ref, [row], padID: padID).sums.scalars } }
    }

    /// [ΣK] summed completion log-probs of `rows`' completions, list-major (on the tape), and the batch's tokens.
    static func sequenceLogps(_ model: DecoderModel, _ rows: [TokenizedRanked], padID: Int32) throws -> (sums: Tensor, tokens: Int) {
        let seqs = rows.flatMap { r in r.completions.map { (prompt: r.prompt, completion: $0) } }
        let b = PreferenceBatch.collate(rows: seqs, padID: padID)
        let logps = try model.tokenLogProbs(b.ids, labels: b.labels, attentionMask: b.attentionMask)  // [ΣK, T]
        return ((logps * b.completionMask).sum(axis: 1), b.attentionMask.reduce(0) { $0 + $1.reduce(0) { $0 + Int($1) } })
    }

    /// Loss and metrics of one micro-batch (on the tape), and its token count.
    func microBatch(_ indices: [Int]) throws -> (ObjectiveOutput, tokens: Int) {
        let rows = indices.map { data[$0] }
        let (sums, tokens) = try Self.sequenceLogps(model, rows, padID: padID)  // [ΣK]
        let offsets = rows.reduce(into: [0]) { $0.append($0[$0.count - 1] + $1.completions.count) }
        switch objective {
        case let .aft(loss, threshold):
            // s = Σ log π / |y|: completions are never empty after add_eos, the max(·, 1) only guards the division.
            let means = sums * constant(rows.flatMap { $0.completions.map { 1 / Float(Swift.max($0.count, 1)) } })
            return (aft(loss, threshold: threshold, means: means, rows: rows, offsets: offsets), tokens)
        case let .copg(loss):
            let ratios = sums - constant(indices.flatMap { referenceLogps[$0] })  // [ΣK] ρ
            var left: [Int] = [], right: [Int] = [], r: [Float] = [], rOther: [Float] = []
            for (b, row) in rows.enumerated() {
                for i in row.scores.indices { for j in row.scores.indices where j > i {
                    left.append(offsets[b] + i); right.append(offsets[b] + j)
                    r.append(Float(row.scores[i])); rOther.append(Float(row.scores[j]))
                } }
            }
            return (loss.compute(ratios: ratios.gatherRows(left), otherRatios: ratios.gatherRows(right),
                                 rewards: constant(r), otherRewards: constant(rOther)), tokens)
        case let .d2o(loss):
            let ratios = sums - constant(indices.flatMap { referenceLogps[$0] })  // [ΣK] ρ
            let k = rows[0].completions.count - 1  // samples per row (init checked one K for all rows)
            let samples = rows.indices.flatMap { b in (0 ..< k).map { offsets[b] + $0 } }
            return (loss.compute(sampleRatios: ratios.gatherRows(samples).reshaped([rows.count, k]),
                                 negativeRatios: ratios.gatherRows(rows.indices.map { offsets[$0] + k })), tokens)
        case let .posft(loss):
            let means = sums * constant(rows.map { 1 / Float(Swift.max($0.completions[0].count, 1)) })  // [B] s_θ
            let aligned = try Tensor(rows.flatMap { $0.scores.map(Float.init) }, shape: [rows.count, rows[0].scores.count])  // [B, M]
            return (loss.compute(scores: means, alignedScores: aligned), tokens)
        }
    }

    /// AFT averaged over the micro-batch's lists.
    func aft(_ loss: AFTLoss, threshold: Double, means: Tensor, rows: [TokenizedRanked], offsets: [Int]) -> ObjectiveOutput {
        var total: Tensor?, metrics: [String: Double] = [:]
        for (b, row) in rows.enumerated() {
            let pos = row.scores.indices.filter { row.scores[$0] > threshold }.map { offsets[b] + $0 }
            let neg = row.scores.indices.filter { row.scores[$0] <= threshold }.map { offsets[b] + $0 }
            let out = neg.isEmpty
                ? ObjectiveOutput(loss: -means.gatherRows(pos).mean(), metrics: ["alignment_loss": 0, "constraint_loss": 0])
                : loss.compute(positive: means.gatherRows(pos), negative: means.gatherRows(neg))
            for (k, v) in out.metrics { metrics[k, default: 0] += v / Double(rows.count) }
            total = total.map { $0 + out.loss } ?? out.loss
        }
        return ObjectiveOutput(loss: (total ?? Tensor(scalar: 0)) / Float(Swift.max(rows.count, 1)), metrics: metrics)
    }

    /// [row] length-normalized completion log-likelihood Σ log π / |y| of each row's first completion under `model`,
    /// without recording gradients (POSFT's aligned-model scores), in batches of `batchSize` rows.
    public static func lengthNormalizedLogLikelihoods(_ model: DecoderModel, _ rows: [TokenizedRanked], padID: Int32,
                                                      batchSize: Int = 8) throws -> [Double] {
        var out: [Double] = []
        for start in stride(from: 0, to: rows.count, by: Swift.max(batchSize, 1)) {
            let chunk = rows[start ..< Swift.min(start + batchSize, rows.count)].map {
                TokenizedRanked(prompt: $0.prompt, completions: [$0.completions[0]], scores: [])
            }
            let sums = try Autograd.withoutGrad { try sequenceLogps(model, chunk, padID: padID).sums.scalars }
            out += zip(sums, chunk).map { Double($0) / Double(Swift.max($1.completions[0].count, 1)) }
        }
        return out
    }

    /// The objective's loss on the examples at `indices` under the current weights (recorded on the tape).
    public func loss(of indices: [Int]) throws -> Tensor { try microBatch(indices).0.loss }

    /// Runs the step's micro-batches (metrics averaged over them, tokens counted) and one AdamW update.
    public func optimizerStep() throws -> StepLog { try loop.averagedStep(microBatch) }
}
