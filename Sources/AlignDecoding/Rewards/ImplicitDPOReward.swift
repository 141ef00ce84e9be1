// ImplicitDPOReward: the reward a DPO-trained policy defines implicitly (Rafailov et al., "Direct
// Preference Optimization", arXiv 2305.18290, §5: r(x, y) = β log π(y|x)/π_ref(y|x), up to a
// prompt-only term), computed on the CausalLM step protocol: prefill the prompt, then feed the
// completion token by token, summing log_softmax of each next token (in Double) under both models.
// Text is turned into ids by a caller-supplied encoder, since tokenizers live in AlignTokenizers.

import Foundation

/// Σ_t log p(y_t | x, y_<t) of a completion under a model.
public enum SequenceLogProb {
    /// The completion's log-probability given the prompt (0 for an empty completion).
    ///
    /// - Throws: `emptyPrompt`, `tokenOutOfVocabulary`, `logitsShapeMismatch`, or the model's errors.
    public static func compute<Model: CausalLM>(model: Model, prompt: [Int32], completion: [Int32]) throws -> Double {
        guard !prompt.isEmpty else { throw AlignDecodingError.emptyPrompt(row: 0) }
        let v = model.vocabularySize
        var (logits, cache) = try model.prefill([prompt])
        var total = 0.0
        for (t, token) in completion.enumerated() {
            guard token >= 0, Int(token) < v else {
                throw AlignDecodingError.tokenOutOfVocabulary(parameter: "completion", token: Int(token), vocabularySize: v)
            }
            let row = try TokenGenerator<Model>.rows(of: logits, batch: 1, vocabularySize: v)
            total += logSoftmax(row, at: Int(token))
            if t + 1 < completion.count { logits = try model.step([token], cache: &cache) }
        }
        return total
    }

    /// log softmax(row)[index] in Double, with the max subtracted so exp cannot overflow.
    static func logSoftmax(_ row: [Float], at index: Int) -> Double {
        let maxValue = Double(row.max() ?? 0)
        let sum = row.reduce(0.0) { $0 + exp(Double($1) - maxValue) }
        return Double(row[index]) - maxValue - log(sum)
    }
}

/// β · (log π(y|x) − log π_ref(y|x)).
public struct ImplicitDPOReward<Policy: CausalLM, Reference: CausalLM>: Reward {
    /// The DPO-trained policy π.
    public let policy: Policy
    /// The reference policy π_ref.
    public let reference: Reference
    /// DPO's β (TRL default 0.1).
    public let beta: Double
    /// Text → token ids (the prompt and the completion are encoded separately).
    public let encode: (String) throws -> [Int32]

    /// - Throws: `invalidReward` unless β is positive and finite.
    public init(policy: Policy, reference: Reference, beta: Double = 0.1, encode: @escaping (String) throws -> [Int32]) throws {
        guard beta > 0, beta.isFinite else {
            throw AlignDecodingError.invalidReward(reason: "implicit DPO reward needs a finite β > 0, got \(beta)")
        }
        self.policy = policy
        self.reference = reference
        self.beta = beta
        self.encode = encode
    }

    public func score(prompt: String, completion: String) throws -> Double {
        let x = try encode(prompt), y = try encode(completion)
        let logPi = try SequenceLogProb.compute(model: policy, prompt: x, completion: y)
        let logRef = try SequenceLogProb.compute(model: reference, prompt: x, completion: y)
        return beta * (logPi - logRef)
    }
}
