// Corrupt and mismatched checkpoints and adapters give their typed AlignModelsError when a model
// is loaded — never a crash, never a silent skip. Each case copies a parity fixture to a temp folder
// and breaks one thing: a missing tensor, a wrong shape, an extra tensor (strict), a config value
// that changes the math, a truncated file, a config that disagrees with the weights; and for PEFT
// adapters: unsupported options, missing/unexpected/misshapen tensors, impossible targets.
import Foundation
import Testing
import AlignTensor
import AlignTestSupport
@testable import AlignModels

enum BrokenCheckpoint {
    /// A temp copy of fixture `name` whose tensors are `edit(original tensors)`.
    static func copy(_ name: String, config: ((inout [String: Any]) -> Void)? = nil,
                     tensors edit: ((inout [(String, Tensor)]) -> Void)? = nil) throws -> URL {
        let src = FixturePaths.fixture("models").appendingPathComponent(name)
        let dir = try ModelsIO.tempDirectory()
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: src.appendingPathComponent("config.json"))) as? [String: Any] ?? [:]
        config?(&json)
        try JSONSerialization.data(withJSONObject: json).write(to: dir.appendingPathComponent("config.json"))
        var tensors = try SafetensorsCheckpoint(directory: src).loadAll().sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        edit?(&tensors)
        try SafetensorsWriter.write(tensors.map { SafetensorsWriter.Entry($0.0, $0.1) }, to: dir.appendingPathComponent("model.safetensors"))
        return dir
    }

    /// A temp copy of the PEFT adapter fixture with its config and tensors edited.
    static func adapter(config: ((inout [String: Any]) -> Void)? = nil,
                        tensors edit: ((inout [(String, Tensor)]) -> Void)? = nil) throws -> URL {
        let src = FixturePaths.fixture("models").appendingPathComponent("peft-lora")
        let dir = try ModelsIO.tempDirectory()
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: src.appendingPathComponent("adapter_config.json"))) as? [String: Any] ?? [:]
        config?(&json)
        try JSONSerialization.data(withJSONObject: json).write(to: dir.appendingPathComponent("adapter_config.json"))
        let file = try SafetensorsFile(url: src.appendingPathComponent("adapter_model.safetensors"))
        var tensors = try file.names.sorted().map { ($0, try file.tensor($0)) }
        edit?(&tensors)
        try SafetensorsWriter.write(tensors.map { SafetensorsWriter.Entry($0.0, $0.1) },
                                    to: dir.appendingPathComponent("adapter_model.safetensors"))
        return dir
    }
}

@Suite("broken checkpoints give typed errors")
struct CheckpointErrorTests {
    @Test("a missing tensor is named")
    func missingTensor() throws {
        let dir = try BrokenCheckpoint.copy("qwen2", tensors: { $0.removeAll { $0.0 == "model.layers.1.self_attn.k_proj.bias" } })
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(ModelsIO.error { try DecoderModel.load(directory: dir) }
            == .missingTensor(name: "model.layers.1.self_attn.k_proj.bias", file: dir.path))
    }

    @Test("a wrong shape is named with both shapes")
    func wrongShape() throws {
        let dir = try BrokenCheckpoint.copy("llama3", tensors: { t in
            if let i = t.firstIndex(where: { $0.0 == "model.layers.0.mlp.up_proj.weight" }) { t[i].1 = Tensor(zeros: [32, 64]) }
        })
        defer { try? FileManager.default.removeItem(at: dir) }
        let e = ModelsIO.error { try DecoderModel.load(directory: dir) }
        guard case let .shapeMismatch(tensor, _, expected, actual) = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(tensor == "model.layers.0.mlp.up_proj.weight" && expected == [64, 32] && actual == [32, 64])
    }

    @Test("an unexpected tensor fails strict loading and is ignored when not strict")
    func unexpectedTensor() throws {
        let dir = try BrokenCheckpoint.copy("mistral", tensors: { $0.append(("model.layers.0.self_attn.rotary_emb.inv_freq", Tensor(zeros: [4]))) })
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(ModelsIO.error { try DecoderModel.load(directory: dir) }
            == .unexpectedTensors(names: ["model.layers.0.self_attn.rotary_emb.inv_freq"], file: dir.path))
        #expect(ModelsIO.error { try DecoderModel.load(directory: dir, strict: false) } == nil)
    }

    @Test("a tied checkpoint that also carries lm_head.weight loads; the tie wins as in transformers")
    func tiedWithExtraHead() throws {
        let dir = try BrokenCheckpoint.copy("smollm", tensors: { $0.append(("lm_head.weight", Tensor(zeros: [128, 32]))) })
        defer { try? FileManager.default.removeItem(at: dir) }
        let m = try DecoderModel.load(directory: dir)
        #expect(m.lmHead == nil && m.outputWeight.scalars.contains { $0 != 0 })
    }

    @Test("config values that change the math are refused by key")
    func unsupportedConfig() throws {
        let cases: [(String, (inout [String: Any]) -> Void, String)] = [
            ("llama3", { $0["rope_parameters"] = ["rope_type": "yarn", "rope_theta": 10000.0, "factor": 4.0] }, "rope_parameters.rope_type"),
            ("qwen2", { $0["use_sliding_window"] = true; $0["sliding_window"] = 4 }, "use_sliding_window"),
            ("llama2", { $0["rope_parameters"] = ["rope_type": "default", "rope_theta": 10000.0, "partial_rotary_factor": 0.5] },
             "rope_parameters.partial_rotary_factor"),
        ]
        for (name, edit, key) in cases {
            let dir = try BrokenCheckpoint.copy(name, config: edit)
            defer { try? FileManager.default.removeItem(at: dir) }
            let e = ModelsIO.error { try DecoderModel.load(directory: dir) }
            guard case let .unsupportedConfigValue(_, k, _, _) = e else { Issue.record("\(name): got \(String(describing: e))"); continue }
            #expect(k == key)
        }
        let bert = try BrokenCheckpoint.copy("gpt2", config: { $0["model_type"] = "bert" })
        defer { try? FileManager.default.removeItem(at: bert) }
        guard case .unsupportedModelType(_, "bert", _) = ModelsIO.error({ try DecoderModel.load(directory: bert) }) else {
            Issue.record("model_type bert was not refused"); return
        }
    }

    @Test("a config that disagrees with the weights is a shape mismatch, not a crash")
    func configDisagreesWithWeights() throws {
        let dir = try BrokenCheckpoint.copy("qwen3", config: { $0["head_dim"] = 8 })
        defer { try? FileManager.default.removeItem(at: dir) }
        let e = ModelsIO.error { try DecoderModel.load(directory: dir) }
        guard case let .shapeMismatch(tensor, _, expected, actual) = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(tensor.hasPrefix("model.layers.") && expected != actual)
    }

    @Test("a truncated model.safetensors names the file")
    func truncated() throws {
        let dir = try BrokenCheckpoint.copy("gpt2")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("model.safetensors")
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count - 100).write(to: url)
        let e = ModelsIO.error { try DecoderModel.load(directory: dir) }
        #expect(e != nil && "\(e.map { "\($0)" } ?? "")".contains("model.safetensors"), "\(String(describing: e))")
    }
}

@Suite("broken adapters give typed errors and leave the model unadapted")
struct AdapterErrorTests {
    func load(_ dir: URL) throws -> (DecoderModel, AlignModelsError?) {
        let m = try DecoderModel.load(directory: FixturePaths.fixture("models").appendingPathComponent("llama3"))
        let e = ModelsIO.error { try m.loadLoRA(directory: dir) }
        return (m, e)
    }

    @Test("unsupported PEFT options are refused by key")
    func unsupportedOptions() throws {
        let cases: [(String, Any)] = [("use_dora", true), ("bias", "all"), ("peft_type", "IA3"),
                                      ("rank_pattern", ["q_proj": 8]), ("modules_to_save", ["lm_head"])]
        for (key, value) in cases {
            let dir = try BrokenCheckpoint.adapter(config: { $0[key] = value })
            defer { try? FileManager.default.removeItem(at: dir) }
            let (m, e) = try load(dir)
            guard case let .unsupportedConfigValue(_, k, _, _) = e else { Issue.record("\(key): got \(String(describing: e))"); continue }
            #expect(k == key && m.loraConfig == nil && m.loraParameters().isEmpty)
        }
    }

    @Test("missing, unexpected and misshapen adapter tensors are named")
    func tensors() throws {
        let a = "base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight"
        let missing = try BrokenCheckpoint.adapter(tensors: { $0.removeAll { $0.0 == a } })
        let extra = try BrokenCheckpoint.adapter(tensors: { $0.append(("base_model.model.lm_head.lora_A.weight", Tensor(zeros: [4, 32]))) })
        let misshapen = try BrokenCheckpoint.adapter(config: { $0["r"] = 2 })
        defer { [missing, extra, misshapen].forEach { try? FileManager.default.removeItem(at: $0) } }
        let file = { (d: URL) in d.appendingPathComponent("adapter_model.safetensors").path }
        let (m1, e1) = try load(missing)
        #expect(e1 == .missingTensor(name: a, file: file(missing)) && m1.loraConfig == nil)
        let (_, e2) = try load(extra)
        #expect(e2 == .unexpectedTensors(names: ["base_model.model.lm_head.lora_A.weight"], file: file(extra)))
        let (m3, e3) = try load(misshapen)
        guard case let .shapeMismatch(_, _, expected, actual) = e3 else { Issue.record("got \(String(describing: e3))"); return }
        #expect(expected.contains(2) && actual.contains(4) && m3.loraParameters().isEmpty)
    }

    @Test("targets that match nothing, GPT-2's fused c_attn, rank 0 and dropout 1 are refused")
    func impossibleTargets() throws {
        let llama = try DecoderModel.load(directory: FixturePaths.fixture("models").appendingPathComponent("llama3"))
        guard case .invalidConfig(_, "target_modules", _) = ModelsIO.error({ try llama.attachLoRA(targets: ["c_attn"], rank: 2, alpha: 2, seed: 0) }) else {
            Issue.record("a target matching nothing was accepted"); return
        }
        let gpt2 = try DecoderModel.load(directory: FixturePaths.fixture("models").appendingPathComponent("gpt2"))
        guard case .invalidConfig(_, "target_modules", _) = ModelsIO.error({ try gpt2.attachLoRA(targets: ["c_attn"], rank: 2, alpha: 2, seed: 0) }) else {
            Issue.record("GPT-2 c_attn LoRA was accepted"); return
        }
        guard case .invalidConfig(_, "r", _) = ModelsIO.error({ try llama.attachLoRA(targets: ["q_proj"], rank: 0, alpha: 2, seed: 0) }) else {
            Issue.record("rank 0 was accepted"); return
        }
        guard case .invalidConfig(_, "lora_dropout", _) = ModelsIO.error({
            try llama.attachLoRA(targets: ["q_proj"], rank: 2, alpha: 2, dropout: 1, seed: 0)
        }) else { Issue.record("dropout 1 was accepted"); return }
        #expect(llama.loraConfig == nil && gpt2.loraConfig == nil)
    }
}
