// Gradient entanglement (Yuan et al. 2024, "A Common Pitfall of Margin-based Language Model Alignment: Gradient
// Entanglement", arXiv 2410.13828; methods §24): margin losses fix only log π(y⁺) − log π(y⁻), so both can move
// together. To first order, a DPO step lowers the chosen log-prob when ⟨∇⁺, ∇⁻⟩ > ‖∇⁺‖² and raises the rejected
// one when ⟨∇⁺, ∇⁻⟩ > ‖∇⁻‖², where ∇± = ∇θ Σ log π(y±|x) over the model's trainable parameters (prompt masked).
// Per pair we report the inner product, both norms, the cosine and the condition ratio
// ⟨∇⁺, ∇⁻⟩ / min(‖∇⁺‖², ‖∇⁻‖²) (> 1: at least one of the two moves the "wrong" way). Two backward passes per pair.
import AlignModels
import AlignTensor
import Foundation

/// The chosen/rejected gradient geometry of one pair.
public struct EntanglementScore: Equatable, Sendable {
    public var inner: Double
    public var chosenNorm: Double
    public var rejectedNorm: Double
    public var cosine: Double { inner / (chosenNorm * rejectedNorm) }
    /// ⟨∇⁺, ∇⁻⟩ / min(‖∇⁺‖², ‖∇⁻‖²).
    public var ratio: Double { inner / min(chosenNorm * chosenNorm, rejectedNorm * rejectedNorm) }
}

extension PreferenceDiagnostics {
    /// The trainable parameters the gradients are taken over: attached LoRA adapters, else every base parameter
    /// that requires a gradient, else (a frozen model) every base parameter.
    static func gradientParameters(_ model: DecoderModel) -> [Tensor] {
        let lora = model.loraParameters().map(\.1).filter(\.requiresGrad)
        if !lora.isEmpty { return lora }
        let base = model.namedParameters().map(\.1)
        let trainable = base.filter(\.requiresGrad)
        if !trainable.isEmpty { return trainable }
        base.forEach { $0.requiresGrad = true }
        return base
    }

    /// ∇θ Σ log π(completion | prompt), flattened over `params` in Float64.
    static func sequenceGradient(_ model: DecoderModel, _ params: [Tensor], prompt: [Int32], completion: [Int32]) throws -> [Double] {
        params.forEach { $0.zeroGrad() }
        let ids = prompt + completion
        // Labels shifted left by one: position t predicts ids[t+1]; the prompt's predictions are masked (−100).
        let labels = (0 ..< ids.count).map { t in t + 1 >= prompt.count && t + 1 < ids.count ? ids[t + 1] : -100 }
        try model.tokenLogProbs([ids], labels: [labels]).sum().backward()
        var g: [Double] = []
        for p in params {
            if let grad = p.grad { g += grad.scalars.map(Double.init) } else { g += [Double](repeating: 0, count: p.count) }
            p.zeroGrad()
        }
        return g
    }

    /// Gradient entanglement of one pair under `model` (the model's weights are not changed).
    public static func entanglement(_ model: DecoderModel, _ pair: TokenizedPreference) throws -> EntanglementScore {
        let wasTrainable = model.namedParameters().map { $0.1.requiresGrad }
        defer { for (p, t) in zip(model.namedParameters(), wasTrainable) { p.1.requiresGrad = t } }
        let params = gradientParameters(model)
        let gp = try sequenceGradient(model, params, prompt: pair.prompt, completion: pair.chosen)
        let gn = try sequenceGradient(model, params, prompt: pair.rejectedPrompt ?? pair.prompt, completion: pair.rejected)
        var dot = 0.0, pp = 0.0, nn = 0.0
        for i in gp.indices {
            dot += gp[i] * gn[i]
            pp += gp[i] * gp[i]
            nn += gn[i] * gn[i]
        }
        return EntanglementScore(inner: dot, chosenNorm: pp.squareRoot(), rejectedNorm: nn.squareRoot())
    }
}
