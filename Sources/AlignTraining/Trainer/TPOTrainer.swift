// TPOTrainer: Triple Preference Optimization (Saeidi et al. 2024, arXiv 2405.16681) as trl 1.16's experimental
// TPOTrainer feeds TPOLoss: reference-free (no reference pass); per micro-batch one forward over
// [chosen₁…chosen_B; rejected₁…rejected_B; gold₁…gold_B] (the gold rows left out when tpo_alpha = 0, as TRL drops
// the gold branch); completion log-probs summed (sigmoid, hinge) or token-averaged (ipo, tpo-l); the gold term is
// the token-mean NLL over all gold completion tokens of the micro-batch. The loop (accumulation, clipping, AdamW,
// schedule, checkpoints, exact resume) is the shared TrainingLoop.
import AlignData
import AlignModels
import AlignTensor
import Foundation

/// One tokenized TPO row; defined in AlignData.
public typealias TokenizedTPO = AlignData.TokenizedTPO

/// Trains a DecoderModel with TPO on tokenized triples.
public final class TPOTrainer: LoopDriven {
    public let model: DecoderModel
    public let objective: TPOLoss
    public let config: TrainingConfig
    public let data: [TokenizedTPO]
    public let padID: Int32
    /// Optimizer, schedule, data order, loop position and checkpoints.
    public let loop: TrainingLoop

    public init(model: DecoderModel, objective: TPOLoss, config: TrainingConfig, data: [TokenizedTPO], padID: Int32) throws {
        loop = try TrainingLoop(model: model, config: config, exampleCount: data.count)
        self.model = model
        self.objective = objective
        self.config = config
        self.data = data
        self.padID = padID
    }

    /// Loss and metrics of one micro-batch (on the tape), and its token count.
    func microBatch(_ indices: [Int]) throws -> (ObjectiveOutput, tokens: Int) {
        let rows = indices.map { data[$0] }, b = rows.count
        let withGold = objective.config.tpoAlpha != 0
        let seqs = rows.map { $0.pair.sequences[0] } + rows.map { $0.pair.sequences[1] }
            + (withGold ? rows.map { (prompt: $0.goldPrompt, completion: $0.gold) } : [])
        let batch = PreferenceBatch.collate(rows: seqs, padID: padID)
        let logps = try model.tokenLogProbs(batch.ids, labels: batch.labels, attentionMask: batch.attentionMask)  // [2B or 3B, T]
        let pairs = PreferenceLogps(tokenLogps: logps.rows(0 ..< 2 * b), completionMask: batch.completionMask.rows(0 ..< 2 * b))
        var seq = pairs.sequenceLogps()  // [2B]
        if objective.config.cpo.averagesLogps { seq = seq / pairs.tokenCounts() }
        var goldNLL = Tensor(scalar: 0)
        if withGold {
            let mask = batch.completionMask.rows(2 * b ..< 3 * b)  // [B, T]
            goldNLL = -(logps.rows(2 * b ..< 3 * b) * mask).sum() / Swift.max(mask.sum().item(), 1)
        }
        var out = objective.compute(chosenLogps: seq.rows(0 ..< b), rejectedLogps: seq.rows(b ..< 2 * b), goldNLL: goldNLL)
        if withGold { out.metrics["nll_loss"] = Double(goldNLL.item()) }
        return (out, batch.attentionMask.reduce(0) { $0 + $1.reduce(0) { $0 + Int($1) } })
    }

    /// The objective's loss on the examples at `indices` under the current weights (recorded on the tape).
    public func loss(of indices: [Int]) throws -> Tensor { try microBatch(indices).0.loss }

    /// Runs the step's micro-batches (metrics averaged over them, tokens counted) and one AdamW update.
    public func optimizerStep() throws -> StepLog { try loop.averagedStep(microBatch) }
}
