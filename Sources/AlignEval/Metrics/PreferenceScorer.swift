// Scores held-out preference pairs with a policy and a reference model: tokenizes text pairs, collates them
// in TRL's [chosen; rejected] layout (AlignTraining's PreferenceBatch), and sums per-token log-probs over the
// completion tokens to get sequence log-probs — the inputs of DPO's implicit reward (PreferenceMetrics.swift).
// Tokenization mirrors TRL 1.16.0's DPOTrainer for non-conversational text (`add_eos`, then `tokenize_fn`):
// the EOS token's text is appended to each completion unless it already ends with it; the prompt and
// prompt + completion are encoded with the tokenizer's own special tokens; the completion starts where the
// two token lists diverge (`common_prefix_length`, the minimum over chosen and rejected), so a merge across
// the prompt/completion boundary moves the split left as TRL does. Sums are not length-normalized (TRL's
// default `sigmoid` loss uses plain sums). Witness: scripts/fixtures/evalmetrics_prefs.py.
import AlignModels
import AlignTokenizers
import AlignTraining
import Foundation

/// Turns text pairs into sequence log-probs under a model.
public struct PreferenceScorer {
    /// The model's tokenizer.
    public let tokenizer: Tokenizer
    /// The EOS token's text appended to completions (tokenizer_config's `eos_token`), nil = none.
    public let eosToken: String?
    /// Fills rows to the batch's longest row (masked out of attention and labels).
    public let padID: Int32
    /// Pairs per forward pass (each pass runs 2 × batchSize rows).
    public let batchSize: Int

    /// Creates a scorer; `batchSize` below 1 is raised to 1.
    public init(tokenizer: Tokenizer, eosToken: String?, padID: Int32, batchSize: Int = 4) {
        (self.tokenizer, self.eosToken, self.padID) = (tokenizer, eosToken, padID)
        self.batchSize = max(1, batchSize)
    }

    /// Token ids of `pair` as TRL 1.16.0's DPOTrainer builds them (see the file header).
    public func encode(_ pair: PreferencePair) -> TokenizedPreference {
        func ids(_ s: String) -> [Int32] { tokenizer.encode(s).ids.map { Int32($0) } }
        func withEOS(_ s: String) -> String {
            // Python's str.endswith compares code points (Swift's hasSuffix compares canonically equivalent Characters).
            guard let eos = eosToken, !Array(s.unicodeScalars).reversed().starts(with: Array(eos.unicodeScalars).reversed()) else { return s }
            return s + eos
        }
        let prompt = ids(pair.prompt)
        let chosen = ids(pair.prompt + withEOS(pair.chosen)), rejected = ids(pair.prompt + withEOS(pair.rejected))
        let split = min(PreferenceScorer.commonPrefixLength(prompt, chosen), PreferenceScorer.commonPrefixLength(prompt, rejected))
        return TokenizedPreference(prompt: Array(prompt[..<split]), chosen: Array(chosen[split...]), rejected: Array(rejected[split...]))
    }

    /// Number of leading ids `a` and `b` share (TRL's `common_prefix_length`).
    static func commonPrefixLength(_ a: [Int32], _ b: [Int32]) -> Int {
        zip(a, b).prefix(while: { $0 == $1 }).count
    }

    /// Σ_t log π(y_t | x, y_<t) over the completion tokens of chosen and rejected, per pair.
    /// - Throws: the model's shape errors (e.g. a row longer than a sliding window).
    public func sequenceLogps(_ model: DecoderModel, _ pairs: [TokenizedPreference]) throws
        -> (chosen: [Double], rejected: [Double]) {
        var chosen: [Double] = [], rejected: [Double] = []
        var start = 0
        while start < pairs.count {
            let slice = Array(pairs[start ..< min(start + batchSize, pairs.count)])
            let batch = PreferenceBatch.collate(slice, padID: padID)
            let logps = try model.tokenLogProbs(batch.ids, labels: batch.labels, attentionMask: batch.attentionMask)  // [2B, T]
            let t = batch.ids.first?.count ?? 0
            // Labels are −100 on prompt and padding, where the log-prob is 0, so a plain row sum is the completion sum.
            let sums = logps.withUnsafeBuffer { buf in
                (0 ..< 2 * slice.count).map { r in (0 ..< t).reduce(0.0) { $0 + Double(buf[r * t + $1]) } }
            }
            chosen += sums[0 ..< slice.count]
            rejected += sums[slice.count...]
            start += slice.count
        }
        return (chosen, rejected)
    }
}
