// LoRA from `align train` (TRL ModelConfig's use_peft / lora_r / lora_alpha / lora_dropout / lora_target_modules):
// a DPO run on the tiny Llama writes PEFT's adapter folder (adapter_config.json with r, lora_alpha, target_modules;
// adapter_model.safetensors with base_model.model.…lora_A/B names, no full weights), `align merge` folds it into the
// base, and the merged model's log-probs equal the in-memory trained policy's (adapters attached). The keys parse the
// same way for sft, kto and bco, with TRL's defaults.
@testable import AlignCLI
import AlignModels
import AlignTestSupport
import AlignTokenizers
import Foundation
import Testing

@Suite("align train with LoRA", .serialized)
struct TrainLoRACommandTests {
    @Test("dpo --use-peft: PEFT adapter in output_dir; align merge gives the trained model's log-probs")
    func dpoAdapterMerges() throws {
        let out = try scratchDirectory()
        let command = try TrainDPOCommand.parse(trainArgs(out, ["--max-steps", "2", "--use-peft", "--lora-r", "4", "--lora-alpha", "8",
                                                                "--lora-target-modules", "q_proj", "v_proj", "o_proj"]))
        let settings = try TrainConfigFile.settings(command.flagPairs())
        #expect(settings.lora == LoRARunSettings(usePeft: true, r: 4, alpha: 8, dropout: 0.05, targetModules: ["q_proj", "v_proj", "o_proj"]))
        let run = TrainDPORun(modelDirectory: FixturePaths.shared("models/tiny-llama"),
                              dataFile: FixturePaths.fixture("data/hh_rlhf_short4.jsonl"), settings: settings,
                              chatTemplateSource: nil, resumeFrom: nil)
        let trained = try run.execute { _ in }
        let fm = FileManager.default
        #expect(fm.fileExists(atPath: out.appendingPathComponent("adapter_model.safetensors").path))
        #expect(!fm.fileExists(atPath: out.appendingPathComponent("model.safetensors").path))
        let config = try LoRAConfig(contentsOf: out.appendingPathComponent("adapter_config.json"))
        #expect(config.rank == 4 && config.alpha == 8 && config.targetModules == ["o_proj", "q_proj", "v_proj"])
        let adapter = try SafetensorsFile(url: out.appendingPathComponent("adapter_model.safetensors"))
        #expect(adapter.names.contains("base_model.model.model.layers.0.self_attn.o_proj.lora_B.weight"))
        let b = try adapter.tensor("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight").scalars
        #expect(b.contains { $0 != 0 })  // trained: B left zero

        let merged = try scratchDirectory()
        try MergeCommand.parse(["--model", FixturePaths.shared("models/tiny-llama").path, "--adapter", out.path,
                                "--out", merged.path]).run()
        let model = try DecoderModel.load(directory: merged)
        trained.setLoRATraining(false)
        let ids: [[Int32]] = [[1, 17, 42, 99, 7, 250, 3, 64]]
        let labels: [[Int32]] = [Array(ids[0].dropFirst()) + [-100]]
        let want = try trained.tokenLogProbs(ids, labels: labels).scalars
        let got = try model.tokenLogProbs(ids, labels: labels).scalars
        let r = compareClose(got, want, atol: 1e-5, rtol: 1e-5)
        #expect(r.passed, "\(r)")
        let base = try DecoderModel.load(directory: FixturePaths.shared("models/tiny-llama")).tokenLogProbs(ids, labels: labels).scalars
        #expect(zip(base, want).map { abs($0 - $1) }.max() ?? 0 > 1e-4)  // the adapter changed the model
    }

    @Test("the LoRA keys for sft, kto and bco, with TRL ModelConfig's defaults and disable_dropout")
    func keys() throws {
        let pairs: [(String, ChatJSON)] = [("use_peft", .bool(true)), ("lora_r", .int(8))]
        let sft = try SFTRunSettings.from(pairs)
        #expect(sft.lora == LoRARunSettings(usePeft: true, r: 8, alpha: 32, dropout: 0.05, targetModules: ["q_proj", "v_proj"]))
        for o in [UnpairedObjectiveName.kto, .bco] {
            let s = try UnpairedRunSettings.settings(pairs + [("lora_target_modules", .string("k_proj")), ("disable_dropout", .bool(false))],
                                                     objective: o)
            #expect(s.lora.config == LoRAConfig(rank: 8, alpha: 32, dropout: 0.05, targetModules: ["k_proj"]) && !s.disableDropout)
        }
        #expect(try TrainConfigFile.settings([]).lora.config == nil)
        #expect(throws: AlignCLIError.badConfigValue(key: "lora_dropout", value: "1.0", expected: "in [0, 1)")) {
            try TrainConfigFile.settings([("lora_dropout", .double(1))])
        }
    }
}
