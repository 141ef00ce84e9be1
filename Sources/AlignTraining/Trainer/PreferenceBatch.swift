// PreferenceBatch: TRL's canonical DPO batch — one forward over [chosen₁…chosen_B; rejected₁…rejected_B],
// each row prompt + completion, right-padded, with next-token labels that are −100 outside the completion
// (prompt and padding), so per-token log-probs are 0 there and the completion mask marks the rest.
import AlignData
import AlignTensor

/// One tokenized preference example; defined in AlignData, which tokenizes datasets the way TRL does.
public typealias TokenizedPreference = AlignData.TokenizedPreference

/// A collated [chosen; rejected] batch.
public struct PreferenceBatch {
    /// [2B][T] prompt + completion, right-padded with the pad id.
    public let ids: [[Int32]]
    /// [2B][T] 1 for tokens, 0 for padding.
    public let attentionMask: [[Int32]]
    /// [2B][T] label at position t = ids[t + 1] when that token is a completion token, else −100.
    public let labels: [[Int32]]
    /// [2B, T] 1 where `labels` is not −100 (constant).
    public let completionMask: Tensor

    /// Number of pairs B.
    public var pairs: Int { ids.count / 2 }

    /// Collates `examples` in TRL's layout; `padID` fills rows to the longest one.
    public static func collate(_ examples: [TokenizedPreference], padID: Int32) -> PreferenceBatch {
        // Each example's sequences: (prompt, chosen) and (its rejected-side prompt, rejected).
        collate(rows: examples.map { $0.sequences[0] } + examples.map { $0.sequences[1] }, padID: padID)
    }

    /// Collates (prompt, completion) rows in the same layout, one row each, in the given order
    /// (TRL's unpaired collator builds its rows the same way).
    public static func collate(rows: [(prompt: [Int32], completion: [Int32])], padID: Int32) -> PreferenceBatch {
        let t = rows.map { $0.0.count + $0.1.count }.max() ?? 0
        var ids: [[Int32]] = [], mask: [[Int32]] = [], labels: [[Int32]] = [], cm: [Float] = []
        for (prompt, completion) in rows {
            let seq = prompt + completion
            let pad = t - seq.count
            ids.append(seq + Array(repeating: padID, count: pad))
            mask.append(Array(repeating: 1, count: seq.count) + Array(repeating: 0, count: pad))
            // Position i predicts token i + 1; it is a completion label when i + 1 ≥ prompt.count.
            let row: [Int32] = (0 ..< t).map { i in
                i + 1 < seq.count && i + 1 >= prompt.count ? seq[i + 1] : -100
            }
            labels.append(row)
            cm += row.map { $0 == -100 ? 0 : 1 }
        }
        let completionMask = Tensor(zeros: [rows.count, t])
        completionMask.withUnsafeMutableBuffer { _ = $0.update(fromContentsOf: cm) }
        return PreferenceBatch(ids: ids, attentionMask: mask, labels: labels, completionMask: completionMask)
    }
}
