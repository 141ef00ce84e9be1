// NextTokenSource: the one thing grammar-aligned sampling asks of a model — the next-token
// log-probabilities after a given prefix of generated tokens. Keeping ASAp generic over this small
// protocol lets the tests drive it with a table whose distribution is known exactly, while
// `CausalLMNextTokenSource` (CausalLMNextTokenSource.swift) runs it on any `CausalLM`, e.g. AlignModels'
// `DecoderModel`. The prompt, if any, is the source's business: prefixes are generated tokens only.
import Foundation

/// A next-token distribution for any prefix of generated tokens.
///
/// `logProbabilities(after:)` returns V = `vocabularySize` natural-log probabilities that sum (in
/// probability) to 1; −inf marks a token of probability 0. Calls may come in any prefix order; a source
/// that keeps incremental state (a KV cache) is a value type updated through `mutating`.
public protocol NextTokenSource {
    /// Length V of a distribution row (the model's logit dimension).
    var vocabularySize: Int { get }

    /// log P(token | prompt, prefix) for every token, `[V]`.
    mutating func logProbabilities(after prefix: [Int32]) throws -> [Double]
}

/// Log-softmax of a logits row at a temperature, in Double.
///
/// Why Double: ASAp multiplies these probabilities along paths and subtracts explored mass from
/// 1, so the rounding of Float would show up in the expected-future-grammaticality estimates.
/// The max subtraction keeps `exp` in range; −inf logits (and NaN) give −inf (probability 0).
public func logSoftmax(_ logits: UnsafeBufferPointer<Float>, temperature: Double = 1) -> [Double] {
    var maxValue = -Double.infinity
    for x in logits where !x.isNaN { maxValue = Swift.max(maxValue, Double(x) / temperature) }
    guard maxValue.isFinite else { return [Double](repeating: -.infinity, count: logits.count) }
    var total = 0.0
    for x in logits where !x.isNaN { total += exp(Double(x) / temperature - maxValue) }
    let logTotal = maxValue + log(total)
    return logits.map { $0.isNaN ? -.infinity : Double($0) / temperature - logTotal }
}
