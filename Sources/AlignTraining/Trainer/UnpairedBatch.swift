// UnpairedBatch: TRL 1.16's DataCollatorForUnpairedPreference layout — one row per example, prompt +
// completion right-padded with the pad id, next-token labels −100 outside the completion — and the same
// for the mismatched KL sequences (prompt + KL completion). Rows arrive already truncated (AlignData).
import AlignData
import AlignTensor

/// One tokenized unpaired example; defined in AlignData, which tokenizes datasets the way TRL does.
public typealias TokenizedUnpaired = AlignData.TokenizedUnpaired

/// Collation of unpaired rows into PreferenceBatch's single-sequence layout.
public enum UnpairedBatch {
    /// [N][T] prompt + completion rows, in order.
    public static func collate(_ examples: [TokenizedUnpaired], padID: Int32) -> PreferenceBatch {
        PreferenceBatch.collate(rows: examples.map { ($0.prompt, $0.completion) }, padID: padID)
    }

    /// [N][T] prompt + KL-completion rows, or nil when the examples carry no KL completions.
    public static func collateKL(_ examples: [TokenizedUnpaired], padID: Int32) -> PreferenceBatch? {
        var rows: [(prompt: [Int32], completion: [Int32])] = []
        for e in examples {
            guard let kl = e.klCompletion else { return nil }
            rows.append((e.prompt, kl))
        }
        return PreferenceBatch.collate(rows: rows, padID: padID)
    }
}
