// SteeringDirection+Build: Contrastive Activation Addition's direction (Rimsky et al., "Steering Llama 2
// via Contrastive Activation Addition", arXiv 2312.06681, §3): run each positive and each negative
// prompt, take the residual stream at layer L of its last token, and subtract the negatives' mean
// from the positives' mean. (CAA's prompts are A/B questions ending in the answer letter, so the last
// token is the answer; ActAdd (arXiv 2308.10248) uses one pair and every position instead.) Each prompt
// runs alone, unpadded, with the model's current steering (normally none), so the value is the one a
// forward hook on transformers' `model.model.layers[L]` reads (scripts/fixtures/steering_fixture.py).
// The mean is accumulated in Float64.
import AlignModels
import AlignTensor

extension SteeringDirection {
    /// The mean difference of last-token residuals at `layer`: mean over `positives` − mean over `negatives`.
    ///
    ///     let d = try SteeringDirection.meanDifference(model: lm, positives: pos, negatives: neg, layer: 1)
    ///     try lm.setSteering([d.term(scale: 4)])
    ///
    /// - Parameters:
    ///   - positives: token ids of the prompts showing the behaviour to add (each non-empty).
    ///   - negatives: token ids of the contrasting prompts (each non-empty).
    ///   - layer: the block (0-based) whose output is read.
    /// - Throws: `invalidParameter` for an empty set or prompt; the model's errors for a bad layer or id.
    public static func meanDifference(model: DecoderModel, positives: [[Int32]], negatives: [[Int32]],
                                      layer: Int) throws -> SteeringDirection {
        let plus = try meanLastResidual(model: model, prompts: positives, layer: layer, parameter: "positives")
        let minus = try meanLastResidual(model: model, prompts: negatives, layer: layer, parameter: "negatives")
        return SteeringDirection(direction: zip(plus, minus).map { Float($0 - $1) }, layer: layer,
                                 metadata: ["method": "mean-difference", "positives": String(positives.count),
                                            "negatives": String(negatives.count)])
    }

    /// [C] mean over `prompts` of the residual at `layer` of each prompt's last token.
    static func meanLastResidual(model: DecoderModel, prompts: [[Int32]], layer: Int,
                                 parameter: String) throws -> [Double] {
        guard !prompts.isEmpty else {
            throw AlignDecodingError.invalidParameter(parameter: parameter, value: "no prompts", expected: "at least one prompt")
        }
        let c = model.spec.hiddenSize
        var sum = [Double](repeating: 0, count: c)
        for (i, ids) in prompts.enumerated() {
            guard !ids.isEmpty else { throw AlignDecodingError.emptyPrompt(row: i) }
            let h = try Autograd.withoutGrad { try model.residualStream([ids], layer: layer) }  // [1, T, C]
            h.withUnsafeBuffer { p in
                let last = (ids.count - 1) * c
                for j in 0 ..< c { sum[j] += Double(p[last + j]) }
            }
        }
        return sum.map { $0 / Double(prompts.count) }
    }
}
