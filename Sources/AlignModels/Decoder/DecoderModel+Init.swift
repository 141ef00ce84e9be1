// Seeded random initialization of a DecoderModel from its config, as transformers'
// `PreTrainedModel._init_weights` does it (transformers 5.x, modeling_utils.py): every Linear and
// Embedding weight ~ N(0, initializer_range) (config.json's `initializer_range`, default 0.02), biases 0,
// norm weights 1 (and LayerNorm biases 0); the embedding row of `pad_token_id` is zeroed for the Llama
// family (nn.Embedding's padding_idx); GPT-2's residual projections (`attn.c_proj`, `mlp.c_proj`) use
// std / √(2·n_layer) (GPT2PreTrainedModel._init_weights, the GPT-2 paper's scaled init).
// The numbers come from AlignTensor's Philox generator, so they are deterministic for a seed (and
// independent of the thread count) but not the numbers torch would draw for the same seed.
import AlignTensor
import Foundation

extension DecoderModel {
    /// A model of `spec` with transformers' initialization drawn from `seed`.
    /// - Parameters:
    ///   - initializerRange: the standard deviation of weights (config.json `initializer_range`).
    ///   - padTokenID: the embedding row zeroed as nn.Embedding's `padding_idx` (Llama family only).
    public static func randomlyInitialized(spec: DecoderSpec, initializerRange: Float = 0.02, padTokenID: Int? = nil,
                                           seed: UInt64) -> DecoderModel {
        let model = DecoderModel(spec: spec)
        var g = RandomGenerator(seed: seed)
        // GPT-2 scales the residual output projections by 1/√(2·n_layer) (GPT2PreTrainedModel._init_weights).
        let residualStd = initializerRange / Float(2 * max(spec.layers, 1)).squareRoot()
        for (name, p) in model.namedParameters() {
            guard isMatrixWeight(name, spec: spec) else { continue }  // norms stay 1, biases 0 (DecoderModel(spec:))
            let isResidual = spec.names == .gpt2 && (name.hasSuffix("attn.o_proj.weight") || name.hasSuffix("mlp.c_proj.weight"))
            p.assign(Tensor.normal(p.shape, std: isResidual ? residualStd : initializerRange, generator: &g))
        }
        if spec.names == .llama, let pad = padTokenID, pad >= 0, pad < spec.vocabSize {
            model.embedTokens.withUnsafeMutableBuffer { w in  // [V, C]: zero row `pad`
                for j in 0 ..< spec.hiddenSize { w[pad * spec.hiddenSize + j] = 0 }
            }
        }
        return model
    }

    /// A randomly initialized model for the config.json in `directory` (no weights are read).
    /// `initializer_range` and `pad_token_id` are read from the same file.
    /// - Throws: the registry's config errors, or `invalidConfig` naming `initializer_range` when it is not a positive number.
    public static func randomlyInitialized(directory: URL, seed: UInt64) throws -> DecoderModel {
        let url = directory.appendingPathComponent("config.json")
        let arch = try ModelRegistry.architecture(contentsOf: url)
        let spec = try DecoderSpec(architecture: arch)
        let (std, pad) = try initSettings(url)
        return randomlyInitialized(spec: spec, initializerRange: std, padTokenID: pad, seed: seed)
    }

    /// `initializer_range` (default 0.02; null or 0 also mean 0.02, as `config.initializer_range or 0.02`)
    /// and an integer `pad_token_id`, from config.json.
    static func initSettings(_ url: URL) throws -> (Float, Int?) {
        let object: [String: Any]
        do {
            object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
        } catch {
            throw AlignModelsError.invalidConfig(file: url.path, key: "initializer_range", reason: "\(error)")
        }
        var std: Float = 0.02
        if let raw = object["initializer_range"], !(raw is NSNull) {
            guard let n = raw as? NSNumber, n.doubleValue >= 0, n.doubleValue.isFinite else {
                throw AlignModelsError.invalidConfig(file: url.path, key: "initializer_range", reason: "expected a number ≥ 0, found \(raw)")
            }
            if n.doubleValue > 0 { std = n.floatValue }
        }
        let pad = (object["pad_token_id"] as? NSNumber).map { $0.intValue }
        return (std, pad)
    }

    /// True for the weights transformers draws from N(0, std): Linear and Embedding weights.
    static func isMatrixWeight(_ name: String, spec: DecoderSpec) -> Bool {
        guard name.hasSuffix(".weight") else { return false }  // biases stay 0
        return !(name.hasSuffix("norm.weight") || name.contains("layernorm") || name.contains(".ln_"))
    }
}
