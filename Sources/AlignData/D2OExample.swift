// D2OExample: D2O's negatives-only rows `{prompt, rejected, samples}` (training-objectives.md §9; Duan et al. 2024,
// arXiv 2403.03419): `rejected` is the human-annotated negative, `samples` the K ≥ 1 responses generated offline by
// the initial model (e.g. with `align generate`), the same K in every row. Read as RankedExample rows whose
// completions are the K samples followed by the negative (scores 1 for samples, 0 for the negative), so they are
// tokenized exactly as ranked rows (PreferenceTokenizer.tokenizeRanked) and trained by RankedScoreTrainer's `.d2o`.
import Foundation

/// The D2O dataset reader.
public enum D2OExample {
    /// Loads `{prompt, rejected, samples}` rows as ranked rows: completions = samples + [rejected].
    public static func load(_ url: URL) throws -> [RankedExample] {
        var k: Int?
        return try DatasetFile.rows(of: url).map { raw in
            let row = RowColumns(row: raw)
            let prompt = try row.content("prompt", allowEmpty: true), negative = try row.content("rejected")
            guard case .array(let items)? = row.value("samples"), !items.isEmpty else {
                throw row.fail("column 'samples' must be a non-empty list of the model's own responses")
            }
            let samples = try items.enumerated().map { i, item -> TurnContent in
                switch item {
                case .string(let s) where !s.isEmpty: return .text(s)
                case .array(let m) where !m.isEmpty:
                    for (j, msg) in m.enumerated() { try row.checkMessage(msg, key: "samples[\(i)]", index: j) }
                    return .messages(m)
                default: throw row.fail("samples[\(i)] must be a non-empty string or message list")
                }
            }
            if let k, samples.count != k { throw row.fail("'samples' has \(samples.count) entries; earlier rows have \(k)") }
            k = samples.count
            if (samples + [negative]).contains(where: { $0.isConversational != prompt.isConversational }) {
                throw row.fail("'prompt', 'rejected' and 'samples' must all be text or all be message lists")
            }
            return RankedExample(location: raw.location, prompt: prompt, completions: samples + [negative],
                                 scores: [Double](repeating: 1, count: samples.count) + [0])
        }
    }
}
