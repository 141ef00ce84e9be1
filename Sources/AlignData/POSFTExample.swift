// POSFTExample: POSFT's SFT rows `{prompt, completion}` (text or conversational; training-objectives.md §14; Fan et al.
// 2024, arXiv 2412.12865) read as one-completion RankedExample rows, so they are tokenized like ranked rows
// (PreferenceTokenizer.tokenizeRanked). Their `scores` start empty: the CLI fills them with the frozen aligned models'
// length-normalized log-likelihoods of the completion (RankedScoreTrainer.lengthNormalizedLogLikelihoods).
import Foundation

/// The POSFT dataset reader.
public enum POSFTExample {
    /// Loads `{prompt, completion}` rows as ranked rows with one completion and no scores.
    public static func load(_ url: URL) throws -> [RankedExample] {
        try DatasetFile.rows(of: url).map { raw in
            let row = RowColumns(row: raw)
            let prompt = try row.content("prompt", allowEmpty: true), completion = try row.content("completion")
            if prompt.isConversational != completion.isConversational {
                throw row.fail("'prompt' and 'completion' must both be text or both be message lists")
            }
            return RankedExample(location: raw.location, prompt: prompt, completions: [completion], scores: [])
        }
    }
}
