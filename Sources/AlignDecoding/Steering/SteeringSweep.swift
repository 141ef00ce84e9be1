// SteeringSweep: the alignment/helpfulness trade-off of activation steering as its coefficient grows
// (issue: "report the alignment/helpfulness trade-off as the coefficient grows"; CAA's and ActAdd's
// papers plot behaviour against the multiplier in the same way). For each scale s the model is steered
// with s · direction at one layer and, over a prompt set:
// - alignment = the mean reward r(x, y) of the steered completions y (any `Reward`: keywords, length, …);
// - helpfulness proxy = the mean log-probability per token, under the steered model, of the *unsteered*
//   model's own greedy completion of each prompt (pooled over all reference tokens), and its perplexity
//   exp(−mean). At s = 0 it is the unsteered model's confidence in its own answer; it falls as steering
//   pulls the model away from what it would have said (ActAdd §4.3 measures the same kind of
//   side effect as perplexity on unrelated text).
// Also reported: the fraction of completions equal to the reference and their mean length.
// The model's own steering is replaced during the sweep and restored afterwards.
import Foundation
import AlignModels
import AlignTensor

/// One scale's line of the trade-off table.
public struct SteeringSweepRow: Equatable, Sendable {
    /// The steering coefficient.
    public let scale: Float
    /// Mean reward of the steered completions.
    public let meanReward: Double
    /// Mean log π_steered per token of the unsteered greedy reference completions.
    public let referenceLogProb: Double
    /// Fraction of prompts whose steered completion equals the reference token for token.
    public let referenceMatch: Double
    /// Mean number of generated tokens per steered completion.
    public let meanTokens: Double

    /// exp(−referenceLogProb): the steered model's perplexity on the reference completions.
    public var referencePerplexity: Double { exp(-referenceLogProb) }
}

/// A sweep of steering scales at one layer.
///
///     let sweep = SteeringSweep(direction: d.direction, layer: 1, scales: [0, 2, 4, 8], parameters: p)
///     let rows = try sweep.run(model: lm, prompts: texts, promptIDs: ids, decoder: tokenizer, reward: r)
public struct SteeringSweep {
    /// [C] the direction.
    public var direction: [Float]
    /// The block whose output is steered.
    public var layer: Int
    /// The coefficients, in table order.
    public var scales: [Float]
    /// Generation of the steered completions (the references are always greedy, with the same limits).
    public var parameters: GenerateParameters

    /// A sweep of `scales` along `direction` at `layer`.
    public init(direction: [Float], layer: Int, scales: [Float], parameters: GenerateParameters) {
        self.direction = direction
        self.layer = layer
        self.scales = scales
        self.parameters = parameters
    }

    /// One row per scale.
    /// - Parameters:
    ///   - prompts: the prompt texts the reward sees; `promptIDs` are their token ids (same count).
    ///   - decoder: token → bytes for the completion texts.
    /// - Throws: `invalidParameter` for no scales or prompts, a non-finite scale, mismatched counts or
    ///   `max_new_tokens` < 1; `AlignModelsError.invalidSteering` when the direction does not fit the model;
    ///   generation and reward errors.
    public func run(model: DecoderModel, prompts: [String], promptIDs: [[Int32]], decoder: any TokenBytes,
                    reward: any Reward) throws -> [SteeringSweepRow] {
        try validate(prompts: prompts, promptIDs: promptIDs)
        let saved = model.steering.terms
        let rows = Result { () throws -> [SteeringSweepRow] in
            try model.setSteering([])
            var greedy = parameters
            greedy.doSample = false
            let references = try TokenGenerator(model: model, prompts: promptIDs, parameters: greedy, decoder: decoder).run()
            return try scales.map { s in
                try model.setSteering([SteeringVector(layer: layer, direction: direction, scale: s)])
                return try row(scale: s, model: model, prompts: prompts, promptIDs: promptIDs, references: references,
                               decoder: decoder, reward: reward)
            }
        }
        try model.setSteering(saved)
        return try rows.get()
    }

    func validate(prompts: [String], promptIDs: [[Int32]]) throws {
        guard !scales.isEmpty, scales.allSatisfy(\.isFinite) else {
            throw AlignDecodingError.invalidParameter(parameter: "scales", value: "\(scales)", expected: "at least one finite scale")
        }
        guard !prompts.isEmpty, prompts.count == promptIDs.count else {
            throw AlignDecodingError.invalidParameter(parameter: "prompts", value: "\(prompts.count) texts, \(promptIDs.count) id lists",
                                                      expected: "at least one prompt, as many texts as id lists")
        }
        guard parameters.maxNewTokens >= 1 else {
            throw AlignDecodingError.invalidParameter(parameter: "max_new_tokens", value: "\(parameters.maxNewTokens)", expected: "≥ 1")
        }
    }

    /// The table line of the model as currently steered.
    func row(scale: Float, model: DecoderModel, prompts: [String], promptIDs: [[Int32]], references: [GeneratedRow],
             decoder: any TokenBytes, reward: any Reward) throws -> SteeringSweepRow {
        let completions = try TokenGenerator(model: model, prompts: promptIDs, parameters: parameters, decoder: decoder).run()
        var rewardSum = 0.0, logProbSum = 0.0, tokenCount = 0, matches = 0, lengths = 0
        for i in prompts.indices {
            rewardSum += try reward.score(prompt: prompts[i], completion: completions[i].text)
            logProbSum += try Self.logProb(of: references[i].tokens, after: promptIDs[i], model: model)
            tokenCount += references[i].tokens.count
            matches += completions[i].tokens == references[i].tokens ? 1 : 0
            lengths += completions[i].tokens.count
        }
        let n = Double(prompts.count)
        return SteeringSweepRow(scale: scale, meanReward: rewardSum / n,
                                referenceLogProb: tokenCount > 0 ? logProbSum / Double(tokenCount) : 0,
                                referenceMatch: Double(matches) / n, meanTokens: Double(lengths) / n)
    }

    /// Σ log π(completion_t | prompt, completion_<t) under the model as currently steered.
    static func logProb(of completion: [Int32], after prompt: [Int32], model: DecoderModel) throws -> Double {
        guard !completion.isEmpty else { return 0 }
        let ids = prompt + completion  // position t predicts ids[t + 1]
        let ignore = Tensor.defaultIgnoreIndex
        let labels = Array(repeating: ignore, count: prompt.count - 1) + completion + [ignore]
        let logps = try Autograd.withoutGrad { try model.tokenLogProbs([ids], labels: [labels]) }  // [1, T]
        return logps.scalars.reduce(0.0) { $0 + Double($1) }  // ignored positions are 0
    }
}
