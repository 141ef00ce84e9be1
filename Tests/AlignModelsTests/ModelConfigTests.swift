// config.json → ModelConfig → ModelArchitecture for each family, against hand-copied configs of
// real checkpoints (Tests/Fixtures/models-io/configs, see its README) and the shared tiny-llama
// config written by transformers 5.24; expected values are the facts of those models and the
// defaults of transformers' config classes. Unsupported settings must fail naming their key.
import Foundation
import Testing
import AlignTestSupport
@testable import AlignModels

@Suite("model configs and the registry")
struct ModelConfigTests {
    static func configURL(_ name: String) -> URL { ModelsIO.fixture("configs/\(name)") }

    static func arch(_ name: String) throws -> ModelArchitecture {
        try ModelRegistry.architecture(contentsOf: configURL(name))
    }

    /// A fixture config with `edit` applied to its JSON object.
    static func edited(_ name: String, _ edit: (inout [String: Any]) -> Void) throws -> ModelConfig {
        var obj = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: configURL(name))) as? [String: Any])
        edit(&obj)
        return try ModelConfig.decode(JSONSerialization.data(withJSONObject: obj), path: name)
    }

    @Test("Llama-3.2-1B: GQA 32/8, head_dim 64, llama3 RoPE scaling, tied embeddings")
    func llama32() throws {
        let a = try Self.arch("llama-3.2-1b.json")
        #expect(a == ModelArchitecture(
            family: .llama, modelType: "llama", vocabSize: 128_256, hiddenSize: 2048, intermediateSize: 8192,
            layerCount: 16, headCount: 32, kvHeadCount: 8, headDim: 64, norm: .rms(eps: 1e-5), activation: .silu,
            mlp: .gated, qkvBias: false, outputBias: false, mlpBias: false, qkNorm: false, tiedEmbeddings: true,
            positional: .rope(.init(theta: 500_000, scaling: .llama3(factor: 32, lowFreqFactor: 1, highFreqFactor: 4,
                                                                        originalMaxPositions: 8192), dimensions: 64)),
            maxPositionEmbeddings: 131_072, slidingWindow: nil, fusedQKVConv1D: false,
            bosTokenId: 128_000, eosTokenIds: [128_001], padTokenId: nil))
        #expect(try ModelConfig.load(contentsOf: Self.configURL("llama-3.2-1b.json")).torchDType == "bfloat16")
    }

    @Test("Mistral-7B-v0.1: no biases, sliding window 4096 recorded; null means none, absent means the default 4096")
    func mistral() throws {
        let a = try Self.arch("mistral-7b-v0.1.json")
        #expect(a.family == .mistral && a.headDim == 128 && a.kvHeadCount == 8 && a.intermediateSize == 14336)
        #expect(a.slidingWindow == 4096 && !a.tiedEmbeddings && !a.qkvBias && !a.outputBias && a.norm == .rms(eps: 1e-5))
        #expect(a.positional == .rope(.init(theta: 10000, scaling: .none, dimensions: 128)))
        let none = try ModelRegistry.architecture(for: Self.edited("mistral-7b-v0.1.json") { $0["sliding_window"] = NSNull() })
        #expect(none.slidingWindow == nil)
        let absent = try ModelRegistry.architecture(for: Self.edited("mistral-7b-v0.1.json") { $0["sliding_window"] = nil })
        #expect(absent.slidingWindow == 4096)
        // MistralAttention never reads attention_bias.
        let biased = try ModelRegistry.architecture(for: Self.edited("mistral-7b-v0.1.json") { $0["attention_bias"] = true })
        #expect(!biased.qkvBias)
    }

    @Test("Qwen2.5-0.5B: q/k/v bias without o bias, sliding_window ignored while use_sliding_window is false")
    func qwen2() throws {
        let a = try Self.arch("qwen2.5-0.5b.json")
        #expect(a.family == .qwen2 && a.hiddenSize == 896 && a.headCount == 14 && a.kvHeadCount == 2 && a.headDim == 64)
        #expect(a.qkvBias && !a.outputBias && !a.mlpBias && !a.qkNorm && a.tiedEmbeddings && a.slidingWindow == nil)
        #expect(a.positional == .rope(.init(theta: 1_000_000, scaling: .none, dimensions: 64)))
        #expect(a.norm == .rms(eps: 1e-6) && a.eosTokenIds == [151_643])
    }

    @Test("Qwen3-0.6B: head_dim 128 ≠ 1024/16, q/k RMSNorm, no biases; head_dim defaults to 128 when absent")
    func qwen3() throws {
        let a = try Self.arch("qwen3-0.6b.json")
        #expect(a.family == .qwen3 && a.headDim == 128 && a.hiddenSize == 1024 && a.headCount == 16 && a.kvHeadCount == 8)
        #expect(a.qkNorm && !a.qkvBias && !a.outputBias && a.tiedEmbeddings && a.maxPositionEmbeddings == 40960)
        #expect(a.bosTokenId == 151_643 && a.eosTokenIds == [151_645])
        let noHeadDim = try ModelRegistry.architecture(for: Self.edited("qwen3-0.6b.json") { $0["head_dim"] = nil })
        #expect(noHeadDim.headDim == 128)
        let biased = try ModelRegistry.architecture(for: Self.edited("qwen3-0.6b.json") { $0["attention_bias"] = true })
        #expect(biased.qkvBias && biased.outputBias)
    }

    @Test("SmolLM2-135M resolves as llama: 9 heads / 3 KV heads of 64, tied embeddings, theta 1e5")
    func smollm2() throws {
        let a = try Self.arch("smollm2-135m.json")
        #expect(a.family == .llama && a.headDim == 64 && a.headCount == 9 && a.kvHeadCount == 3 && a.layerCount == 30)
        #expect(a.tiedEmbeddings && a.vocabSize == 49152 && a.positional == .rope(.init(theta: 100_000, scaling: .none, dimensions: 64)))
        #expect(a.bosTokenId == 0 && a.eosTokenIds == [0])
    }

    @Test("GPT-2: LayerNorm 1e-5, learned positions 1024, gelu_new (tanh), MLP 4·768, all biases, fused Conv1D, tied")
    func gpt2() throws {
        let a = try Self.arch("gpt2.json")
        #expect(a == ModelArchitecture(
            family: .gpt2, modelType: "gpt2", vocabSize: 50257, hiddenSize: 768, intermediateSize: 3072,
            layerCount: 12, headCount: 12, kvHeadCount: 12, headDim: 64, norm: .layer(eps: 1e-5), activation: .geluTanh,
            mlp: .plain, qkvBias: true, outputBias: true, mlpBias: true, qkNorm: false, tiedEmbeddings: true,
            positional: .learned(maxPositions: 1024), maxPositionEmbeddings: 1024, slidingWindow: nil,
            fusedQKVConv1D: true, bosTokenId: 50256, eosTokenIds: [50256], padTokenId: nil))
    }

    @Test("tiny-llama (transformers 5.24: rope_parameters, dtype) resolves with v5 spellings")
    func tinyLlamaV5() throws {
        let url = FixturePaths.shared("models/tiny-llama/config.json")
        let config = try ModelConfig.load(contentsOf: url)
        #expect(config.torchDType == "float32" && config.ropeTheta == nil && config.ropeParameters?.ropeTheta == 10000)
        let a = try ModelRegistry.architecture(for: config)
        #expect(a.headDim == 32 && a.kvHeadCount == 2 && a.intermediateSize == 688 && a.tiedEmbeddings)
        #expect(a.positional == .rope(.init(theta: 10000, scaling: .none, dimensions: 32)))
        #expect(a.bosTokenId == 1 && a.eosTokenIds == [2] && a.padTokenId == 0 && a.norm == .rms(eps: 1e-6))
    }

    @Test("linear RoPE scaling (v4 legacy 'type' key) resolves")
    func linearRope() throws {
        let c = try Self.edited("smollm2-135m.json") { $0["rope_scaling"] = ["type": "linear", "factor": 2.0] }
        #expect(try ModelRegistry.architecture(for: c).positional == .rope(.init(theta: 100_000, scaling: .linear(factor: 2), dimensions: 64)))
    }

    /// Edits that must be rejected, with the key the error must name.
    static let unsupported: [(String, String, String, @Sendable (inout [String: Any]) -> Void)] = [
        ("yarn", "llama-3.2-1b.json", "rope_scaling.rope_type", { $0["rope_scaling"] = ["rope_type": "yarn", "factor": 4.0] }),
        ("dynamic (legacy type)", "llama-3.2-1b.json", "rope_scaling.rope_type", { $0["rope_scaling"] = ["type": "dynamic", "factor": 2.0] }),
        ("v5 longrope", "qwen3-0.6b.json", "rope_parameters.rope_type", { $0["rope_parameters"] = ["rope_type": "longrope", "rope_theta": 1e6] }),
        ("partial rotary", "qwen3-0.6b.json", "rope_parameters.partial_rotary_factor",
         { $0["rope_parameters"] = ["rope_type": "default", "rope_theta": 1e6, "partial_rotary_factor": 0.5] }),
        ("use_sliding_window", "qwen2.5-0.5b.json", "use_sliding_window", { $0["use_sliding_window"] = true }),
        ("sliding layer types", "qwen3-0.6b.json", "layer_types", { $0["layer_types"] = ["full_attention", "sliding_attention"] }),
        ("mrope", "qwen2.5-0.5b.json", "use_mrope", { $0["use_mrope"] = true }),
        ("interleaved rope", "smollm2-135m.json", "rope_interleaved", { $0["rope_interleaved"] = true }),
        ("activation", "llama-3.2-1b.json", "hidden_act", { $0["hidden_act"] = "gelu_quick" }),
        ("GPT-2 layer-index scaling", "gpt2.json", "scale_attn_by_inverse_layer_idx", { $0["scale_attn_by_inverse_layer_idx"] = true }),
        ("GPT-2 unscaled attention", "gpt2.json", "scale_attn_weights", { $0["scale_attn_weights"] = false }),
    ]

    @Test("settings that change the math unsupported are errors naming the key", arguments: 0 ..< unsupported.count)
    func unsupportedSettings(_ i: Int) throws {
        let (label, file, key, edit) = Self.unsupported[i]
        let config = try Self.edited(file, edit)
        guard case let .unsupportedConfigValue(f, k, _, _)? = ModelsIO.error({ try ModelRegistry.architecture(for: config) }) else {
            Issue.record("\(label): expected unsupportedConfigValue"); return
        }
        #expect(f == file && k == key, "\(label)")
    }

    @Test("unknown model_type, missing and malformed keys, impossible shapes")
    func invalidConfigs() throws {
        let falcon = try Self.edited("llama-3.2-1b.json") { $0["model_type"] = "falcon" }
        #expect(ModelsIO.error { try ModelRegistry.architecture(for: falcon) }
            == .unsupportedModelType(file: "llama-3.2-1b.json", modelType: "falcon", supported: ["gpt2", "llama", "mistral", "qwen2", "qwen3"]))
        #expect(ModelsIO.error { try Self.edited("llama-3.2-1b.json") { $0["model_type"] = nil } }
            == .missingConfigKey(file: "llama-3.2-1b.json", key: "model_type"))
        let noWidth = try Self.edited("qwen2.5-0.5b.json") { $0["hidden_size"] = nil }
        #expect(ModelsIO.error { try ModelRegistry.architecture(for: noWidth) } == .missingConfigKey(file: "qwen2.5-0.5b.json", key: "hidden_size"))
        let noLow = try Self.edited("llama-3.2-1b.json") { $0["rope_scaling"] = ["rope_type": "llama3", "factor": 8.0, "high_freq_factor": 4.0,
                                                                                  "original_max_position_embeddings": 8192] }
        #expect(ModelsIO.error { try ModelRegistry.architecture(for: noLow) }
            == .missingConfigKey(file: "llama-3.2-1b.json", key: "rope_scaling.low_freq_factor"))
        let kv = try Self.edited("llama-3.2-1b.json") { $0["num_key_value_heads"] = 5 }
        #expect(ModelsIO.error { try ModelRegistry.architecture(for: kv) }
            == .invalidConfig(file: "llama-3.2-1b.json", key: "num_key_value_heads", reason: "5 does not divide num_attention_heads 32"))
        guard case let .invalidConfig(_, key, _)? = ModelsIO.error({ try Self.edited("gpt2.json") { $0["n_embd"] = "wide" } }) else {
            Issue.record("expected invalidConfig for a string n_embd"); return
        }
        #expect(key == "n_embd")
        guard case let .invalidConfig(_, factorKey, _)? = ModelsIO.error({
            try Self.edited("llama-3.2-1b.json") { $0["rope_scaling"] = ["rope_type": "llama3", "factor": "big"] }
        }) else { Issue.record("expected invalidConfig for rope_scaling.factor"); return }
        #expect(factorKey == "rope_scaling.factor")
        guard case let .invalidConfig(file, rootKey, _)? = ModelsIO.error({ try ModelConfig.decode(Data("{\"model_type\": ".utf8), path: "x.json") }) else {
            Issue.record("expected invalidConfig for truncated JSON"); return
        }
        #expect(file == "x.json" && rootKey == "(root)")
        let zero = try Self.edited("qwen3-0.6b.json") { $0["num_hidden_layers"] = 0 }
        #expect(ModelsIO.error { try ModelRegistry.architecture(for: zero) }
            == .invalidConfig(file: "qwen3-0.6b.json", key: "num_hidden_layers", reason: "must be positive, got 0"))
    }
}
