// LoRA on a DecoderModel, as PEFT applies it (peft 0.21 LoraModel): adapters on the projections whose
// module names match `target_modules`, the base frozen; saved and loaded as PEFT's adapter folder —
// adapter_config.json plus adapter_model.safetensors with keys
// `base_model.model.<module path>.lora_A.weight` / `.lora_B.weight` — merged into the weights, or bypassed
// for a reference forward (PEFT's disable_adapter()).
import AlignTensor
import Foundation

extension DecoderModel {
    /// Every adaptable projection by its checkpoint module path, e.g. `model.layers.0.self_attn.q_proj`.
    /// GPT-2's fused `c_attn` is absent (it is split into three projections here).
    public var loraTargetModules: [(String, Linear)] {
        var out: [(String, Linear)] = []
        for (i, block) in blocks.enumerated() {
            switch spec.names {
            case .llama:
                out += block.attention.projections.map { ("model.layers.\(i).self_attn.\($0.0)", $0.1) }
                out += block.mlp.projections.map { ("model.layers.\(i).mlp.\($0.0)", $0.1) }
            case .gpt2:
                out.append(("transformer.h.\(i).attn.c_proj", block.attention.o))
                out += block.mlp.projections.map { ("transformer.h.\(i).mlp.\($0.0)", $0.1) }
            }
        }
        return out
    }

    /// Attaches fresh adapters (A ~ kaiming-uniform, B = 0, A drawn from `seed` in module order) to the projections `config` targets and
    /// freezes every base parameter. Returns the adapted module paths.
    /// Adapters already attached are replaced.
    /// - Throws: `invalidConfig` naming `r`, `lora_dropout`, or `target_modules` (nothing matches, or GPT-2's fused c_attn).
    @discardableResult
    public func attachLoRA(_ config: LoRAConfig, seed: UInt64, file: String = "attachLoRA") throws -> [String] {
        guard config.rank > 0 else { throw AlignModelsError.invalidConfig(file: file, key: "r", reason: "rank must be > 0, got \(config.rank)") }
        guard config.dropout >= 0 && config.dropout < 1 else {
            throw AlignModelsError.invalidConfig(file: file, key: "lora_dropout", reason: "must be in [0, 1), got \(config.dropout)")
        }
        if spec.names == .gpt2 && config.targetModules.contains(where: { $0 == "c_attn" || $0.hasSuffix(".c_attn") }) {
            throw AlignModelsError.invalidConfig(file: file, key: "target_modules",
                                                 reason: "LoRA on GPT-2's fused c_attn is not implemented")
        }
        let chosen = loraTargetModules.filter { config.matches($0.0) }
        guard !chosen.isEmpty else {
            throw AlignModelsError.invalidConfig(file: file, key: "target_modules",
                                                 reason: "\(config.targetModules) match no module; e.g. \(loraTargetModules.prefix(7).map(\.0))")
        }
        removeLoRA()
        setTrainable(false)
        var generator = RandomGenerator(seed: seed)
        for (_, linear) in chosen {
            linear.lora = LoRAAdapter(inFeatures: linear.inFeatures, outFeatures: linear.outFeatures, rank: config.rank,
                                      alpha: config.alpha, dropout: config.dropout, useRSLoRA: config.useRSLoRA,
                                      generator: &generator)
        }
        var stored = config
        stored.fanInFanOut = spec.names == .gpt2
        loraConfig = stored
        return chosen.map(\.0)
    }

    /// `attachLoRA` with the common arguments: e.g. `attachLoRA(targets: ["q_proj", "v_proj"], rank: 8, alpha: 16, seed: 0)`.
    @discardableResult
    public func attachLoRA(targets: [String], rank: Int, alpha: Float, dropout: Float = 0, useRSLoRA: Bool = false,
                           seed: UInt64) throws -> [String] {
        try attachLoRA(LoRAConfig(rank: rank, alpha: alpha, dropout: dropout, targetModules: targets,
                                   useRSLoRA: useRSLoRA), seed: seed)
    }

    /// The adapters' parameters under PEFT's saved names (`base_model.model.<path>.lora_A.weight`).
    public func loraParameters() -> [(String, Tensor)] {
        loraTargetModules.flatMap { path, linear in
            linear.lora.map { prefixed("base_model.model.\(path)", $0.namedParameters()) } ?? []
        }
    }

    /// Sets every adapter's dropout on (training) or off (evaluation).
    public func setLoRATraining(_ training: Bool) {
        for (_, linear) in loraTargetModules { linear.lora?.training = training }
    }

    /// Runs `body` with every attached adapter bypassed, so the model computes exactly its base (PEFT's
    /// `disable_adapter()` context manager, which TRL's DPOTrainer uses as the reference of a PEFT policy:
    /// the reference costs no second copy of the weights). Adapters are re-enabled afterwards, also on a throw.
    ///
    ///     let refLogps = try policy.withLoRADisabled { try policy.tokenLogProbs(ids, labels: labels) }
    public func withLoRADisabled<R>(_ body: () throws -> R) rethrows -> R {
        let adapters = loraTargetModules.compactMap { $0.1.lora }.filter(\.isEnabled)
        for adapter in adapters { adapter.isEnabled = false }
        defer { for adapter in adapters { adapter.isEnabled = true } }
        return try body()
    }

    /// Drops every adapter without merging (the base weights are untouched; they stay frozen).
    public func removeLoRA() {
        for (_, linear) in loraTargetModules { linear.lora = nil }
        loraConfig = nil
    }

    /// Adds every adapter's B·A·scaling into its weight and removes the adapters (PEFT's merge_and_unload).
    public func mergeLoRA() {
        for (_, linear) in loraTargetModules { linear.mergeLoRA() }
        loraConfig = nil
    }
}
