// Per-pair diagnostics of a preference dataset under a model, read before or during DPO-family training:
//
// - CHES / LN-CHES (Razin et al. 2024, "Unintentional Unalignment: Likelihood Displacement in DPO",
//   arXiv 2410.08847; official code ches/ches.py): H± = Σ_k h(x, y±, <k), the last-layer hidden states (after
//   the final norm, transformers' hidden_states[-1]) at the positions that predict each completion token;
//   CHES = ⟨H⁺, H⁻⟩ − ‖H⁺‖², LN-CHES = ⟨H⁺, H⁻⟩/(|y⁺||y⁻|) − ‖H⁺‖²/|y⁺|². High values predict likelihood
//   displacement (the chosen log-prob falling during training).
// - Top-k indicators (Shi et al. 2024, "Understanding Likelihood Over-optimisation in Direct Alignment
//   Algorithms", arXiv 2410.11677): at each completion position, the mass of the k most probable tokens and the
//   entropy of that renormalised top k, averaged over the completion. Both trending down across checkpoints
//   signals over-optimisation. Where they are evaluated (dataset completions here) and k (10 by default) are
//   UNVERIFIED in the paper's text (methods §23); we evaluate on the dataset's completions.
// Reductions are Float64 over the fp32 model outputs; fixture: scripts/fixtures/diagnostics_fixture.py.
import AlignModels
import AlignTensor
import Foundation

/// CHES scores of one pair.
public struct CHESScore: Equatable, Sendable {
    public var ches: Double
    public var lengthNormalized: Double
}

/// Top-k probability mass and top-k entropy, means over one completion's positions.
public struct TopKIndicators: Equatable, Sendable {
    public var mass: Double
    public var entropy: Double
}

public enum PreferenceDiagnostics {
    /// Last-layer hidden states [n, C] at the positions predicting `completion`'s n tokens after `prompt`.
    static func completionHidden(_ model: DecoderModel, prompt: [Int32], completion: [Int32]) throws -> Tensor {
        guard !prompt.isEmpty, !completion.isEmpty else {
            throw TrainingError.invalidConfig(field: "pair", value: "prompt \(prompt.count) / completion \(completion.count) tokens",
                                              expected: "a non-empty prompt and completion")
        }
        let h = try Autograd.withoutGrad { try model.hiddenStates([prompt + completion]) }  // [1, P+n, C]
        let c = model.spec.hiddenSize
        return h.reshaped([prompt.count + completion.count, c]).rows(prompt.count - 1 ..< prompt.count - 1 + completion.count)
    }

    /// Σ over rows of hidden [n, C], in Float64.
    static func rowSum(_ hidden: Tensor) -> [Double] {
        let (n, c) = (hidden.shape[0], hidden.shape[1])
        let x = hidden.scalars
        var s = [Double](repeating: 0, count: c)
        for i in 0 ..< n { for j in 0 ..< c { s[j] += Double(x[i * c + j]) } }
        return s
    }

    /// CHES and LN-CHES of one pair (same prompt for both completions unless `rejectedPrompt` is set).
    public static func ches(_ model: DecoderModel, _ pair: TokenizedPreference) throws -> CHESScore {
        let hp = rowSum(try completionHidden(model, prompt: pair.prompt, completion: pair.chosen))
        let hn = rowSum(try completionHidden(model, prompt: pair.rejectedPrompt ?? pair.prompt, completion: pair.rejected))
        let dot = zip(hp, hn).reduce(0) { $0 + $1.0 * $1.1 }
        let sq = hp.reduce(0) { $0 + $1 * $1 }
        let (np, nn) = (Double(pair.chosen.count), Double(pair.rejected.count))
        return CHESScore(ches: dot - sq, lengthNormalized: dot / (np * nn) - sq / (np * np))
    }

    /// Top-k mass and entropy of the model's next-token distributions over `completion`'s positions.
    public static func topK(_ model: DecoderModel, prompt: [Int32], completion: [Int32], k: Int = 10) throws -> TopKIndicators {
        guard k > 0, k <= model.spec.vocabSize else {
            throw TrainingError.invalidConfig(field: "k", value: "\(k)", expected: "1 … vocab size \(model.spec.vocabSize)")
        }
        let h = try completionHidden(model, prompt: prompt, completion: completion)
        let logits = Autograd.withoutGrad { Tensor.matmul(h, model.outputWeight, transposeB: true) }  // [n, V]
        let (n, v) = (logits.shape[0], logits.shape[1])
        let x = logits.scalars
        var mass = 0.0, entropy = 0.0
        for i in 0 ..< n {
            let row = x[i * v ..< (i + 1) * v].map(Double.init)
            let top = topKRowStats(row, k: k)
            mass += top.mass
            entropy += top.entropy
        }
        return TopKIndicators(mass: mass / Double(n), entropy: entropy / Double(n))
    }

    /// Mass of the k largest softmax probabilities of `logits` and the entropy of their renormalisation.
    static func topKRowStats(_ logits: [Double], k: Int) -> (mass: Double, entropy: Double) {
        let m = logits.max() ?? 0
        let z = logits.reduce(0) { $0 + exp($1 - m) }
        let top = logits.sorted(by: >).prefix(k).map { exp($0 - m) / z }
        let mass = top.reduce(0, +)
        let entropy = top.reduce(0) { acc, p in
            let q = p / mass
            return q > 0 ? acc - q * log(q) : acc
        }
        return (mass, entropy)
    }
}
