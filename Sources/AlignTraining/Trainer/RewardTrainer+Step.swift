// One optimizer step of RewardTrainer: collate [chosen; rejected] as TRL's DataCollatorForPreference
// (right padding with the pad id, attention mask 1 on tokens), score, loss, accumulate, update.
// Metrics per micro-batch as TRL's RewardTrainer.compute_loss records them, averaged over the
// step's micro-batches as its `log` averages them.
import AlignModels
import AlignTensor

/// A collated reward batch.
struct RewardBatch {
    /// [2B][T] chosen rows then rejected rows, right-padded with the pad id.
    let ids: [[Int32]]
    /// [2B][T] 1 for tokens, 0 for padding.
    let attentionMask: [[Int32]]
    /// [B] margins, when the dataset has them.
    let margins: [Float]?

    static func collate(_ pairs: [TokenizedRewardPair], padID: Int32) -> RewardBatch {
        let rows = pairs.map(\.chosen) + pairs.map(\.rejected)
        let t = rows.map(\.count).max() ?? 0
        let ids = rows.map { $0 + Array(repeating: padID, count: t - $0.count) }
        let mask = rows.map { Array(repeating: Int32(1), count: $0.count) + Array(repeating: 0, count: t - $0.count) }
        let margins = pairs.first?.margin == nil ? nil : pairs.map { Float($0.margin ?? 0) }
        return RewardBatch(ids: ids, attentionMask: mask, margins: margins)
    }
}

extension RewardTrainer {
    /// Loss and metrics of one micro-batch (recorded on the tape), and its token count.
    func microBatch(_ indices: [Int]) throws -> (ObjectiveOutput, tokens: Int) {
        let batch = RewardBatch.collate(indices.map { data[$0] }, padID: padID)
        let rewards = try model.scores(batch.ids, attentionMask: batch.attentionMask).reshaped([batch.ids.count])  // [2B]
        let margins = try batch.margins.map { try Tensor($0, shape: [$0.count]) }
        var out = objective.compute(rewards: rewards, margins: margins)
        // TRL logs min/max over all 2B rewards beside RewardLoss's accuracy, margin and mean_reward.
        let r = rewards.scalars
        out.metrics["min_reward"] = Double(r.min() ?? 0)
        out.metrics["max_reward"] = Double(r.max() ?? 0)
        return (out, batch.attentionMask.reduce(0) { $0 + $1.reduce(0) { $0 + Int($1) } })
    }

    /// Runs the step's micro-batches (`gradient_accumulation_steps`, fewer at an epoch's end, as
    /// transformers' Trainer; metrics averaged over them, tokens counted) and one AdamW update; returns the step's log.
    public func optimizerStep() throws -> StepLog {
        try loop.averagedStep(microBatch) { _, _ in
            model.applyPaddingIdxGradient()  // torch's nn.Embedding(padding_idx=pad) leaves the pad row's gradient 0
        }
    }
}
