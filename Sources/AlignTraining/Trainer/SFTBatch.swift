// SFTBatch: a collated SFT micro-batch, as TRL 1.16's DataCollatorForLanguageModeling feeds the model —
// rows right-padded with the pad id, an attention mask, and causal-LM labels already shifted the way
// transformers' ForCausalLMLoss shifts them: position t predicts token t + 1, and its label is that token
// when TRL's label there is not −100 (a target), else −100. A bfd-packed example contributes one row per
// packed sequence: transformers runs a padding-free packed row with position ids restarting at 0 and
// attention kept within each sequence (masking_utils' packed-sequence mask), and the collator sets the
// label of each sequence's first token to −100 — which is exactly a separate row per sequence, so no
// cross-sequence mask is needed here (the rows cost padding, the math is the same).
import AlignData
import AlignTensor

/// One collated SFT micro-batch.
public struct SFTBatch: Equatable {
    /// [R][T] token ids, right-padded with the pad id.
    public let ids: [[Int32]]
    /// [R][T] 1 for tokens, 0 for padding.
    public let attentionMask: [[Int32]]
    /// [R][T] shifted labels: ids[t + 1] where token t + 1 is a target, else −100.
    public let labels: [[Int32]]

    /// Number of labels that are not −100 (the micro-batch's share of `num_items_in_batch`).
    public var targetCount: Int { labels.reduce(0) { $0 + $1.reduce(0) { $0 + ($1 == -100 ? 0 : 1) } } }

    /// Real (non-padding) tokens.
    public var tokenCount: Int { attentionMask.reduce(0) { $0 + $1.reduce(0) { $0 + Int($1) } } }

    /// Collates `examples`: every sequence of every example becomes one row, padded to the longest.
    public static func collate(_ examples: [SFTPackedExample], padID: Int32) -> SFTBatch {
        let rows = examples.flatMap(\.sequences)
        let t = rows.map(\.ids.count).max() ?? 0
        var ids: [[Int32]] = [], mask: [[Int32]] = [], labels: [[Int32]] = []
        for row in rows {
            let pad = t - row.ids.count
            ids.append(row.ids + Array(repeating: padID, count: pad))
            mask.append(Array(repeating: 1, count: row.ids.count) + Array(repeating: 0, count: pad))
            labels.append((0 ..< t).map { i in i + 1 < row.ids.count && row.isTarget[i + 1] ? row.ids[i + 1] : -100 })
        }
        return SFTBatch(ids: ids, attentionMask: mask, labels: labels)
    }
}
