// ModelReward: a trained reward model as a decoding-time Reward (best-of-N, reward-guided search):
// r(x, y) = the scalar head of a SequenceClassifier on the full text x + y, read at the last non-pad
// token as transformers' *ForSequenceClassification does. The text is formed as TRL's RewardTrainer
// formed its training sequences (trl 1.16 reward_trainer.py: `prompt + chosen`, with the EOS text
// appended unless the completion already ends with it), so a model is scored the way it was trained.
// Text → ids comes from a caller-supplied encoder (tokenizers live in AlignTokenizers); `scores`
// batches several completions of one prompt into one right-padded forward.
import AlignModels
import AlignTensor
import Foundation

/// The scalar head of a sequence-classification model as a reward.
///
///     let rm = try SequenceClassifier.load(directory: rewardModelDir)
///     let reward = try ModelReward(model: rm, eosToken: "</s>") { tokenizer.encode($0).ids.map(Int32.init) }
///     let best = try BestOfN.run(..., reward: reward)
public struct ModelReward: Reward {
    /// The reward model.
    public let model: SequenceClassifier
    /// Which output of the head is the reward (0 for a reward model's single label).
    public let label: Int
    /// The EOS text appended to completions that lack it (TRL's `add_eos`); nil appends nothing.
    public let eosToken: String?
    /// Full text → token ids (with the tokenizer's special tokens, as `tokenizer(text=…)` adds them).
    public let encode: (String) throws -> [Int32]

    /// - Throws: `invalidReward` when `label` is not an output of the head.
    public init(model: SequenceClassifier, label: Int = 0, eosToken: String? = nil,
                encode: @escaping (String) throws -> [Int32]) throws {
        guard (0 ..< model.numLabels).contains(label) else {
            throw AlignDecodingError.invalidReward(reason: "label \(label) is not an output of a head with num_labels = \(model.numLabels)")
        }
        self.model = model
        self.label = label
        self.eosToken = eosToken
        self.encode = encode
    }

    /// The text the model scores: prompt + completion (+ EOS unless already there). Compared by Unicode
    /// scalars, as Python's `str.endswith`.
    public func text(prompt: String, completion: String) -> String {
        guard let eos = eosToken else { return prompt + completion }
        let c = Array(completion.unicodeScalars), e = Array(eos.unicodeScalars)
        return c.count >= e.count && Array(c.suffix(e.count)) == e ? prompt + completion : prompt + completion + eos
    }

    public func score(prompt: String, completion: String) throws -> Double {
        try scores(prompt: prompt, completions: [completion])[0]
    }

    /// Rewards of several completions of `prompt`, in one right-padded forward.
    /// - Throws: `invalidReward` for text that encodes to no tokens; `tokenOutOfVocabulary`; model errors.
    public func scores(prompt: String, completions: [String]) throws -> [Double] {
        guard !completions.isEmpty else { return [] }
        let rows = try completions.map { try encode(text(prompt: prompt, completion: $0)) }
        let v = model.base.spec.vocabSize
        for row in rows {
            guard !row.isEmpty else { throw AlignDecodingError.invalidReward(reason: "the scored text encodes to no tokens") }
            if let bad = row.first(where: { $0 < 0 || Int($0) >= v }) {
                throw AlignDecodingError.tokenOutOfVocabulary(parameter: "reward text", token: Int(bad), vocabularySize: v)
            }
        }
        // Right padding with the pad id: the pooled index is the last non-pad token of each row.
        let pad = Int32(model.config.padTokenID ?? 0)
        let t = rows.map(\.count).max() ?? 0
        let ids = rows.map { $0 + Array(repeating: pad, count: t - $0.count) }
        let mask = rows.map { Array(repeating: Int32(1), count: $0.count) + Array(repeating: 0, count: t - $0.count) }
        let out = try Autograd.withoutGrad { try model.scores(ids, attentionMask: mask) }.scalars  // [N · num_labels]
        return (0 ..< rows.count).map { Double(out[$0 * model.numLabels + label]) }
    }
}
