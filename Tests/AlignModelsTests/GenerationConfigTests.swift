// generation_config.json: eos as int or list, sampling defaults, and typed errors for values no
// sampler can use. Fixtures: the shared tiny-llama file and hand-copied configs (configs/README.md).
import Foundation
import Testing
import AlignTestSupport
@testable import AlignModels

@Suite("generation configs")
struct GenerationConfigTests {
    @Test("tiny-llama's generation_config (transformers 5.24) has ids only")
    func tinyLlama() throws {
        let g = try GenerationConfig.load(contentsOf: FixturePaths.shared("models/tiny-llama/generation_config.json"))
        #expect(g.bosTokenId == 1 && g.eosTokenId == 2 && g.padTokenId == 0)
        #expect(g.temperature == nil && g.topP == nil && g.doSample == nil && g.maxNewTokens == nil)
    }

    @Test("Llama-3.1-Instruct lists three eos ids; Qwen3 sets top_k 20, top_p 0.95, temperature 0.6")
    func lists() throws {
        let llama = try GenerationConfig.load(contentsOf: ModelsIO.fixture("configs/generation-llama-3.1-8b-instruct.json"))
        #expect(llama.eosTokenId?.ids == [128_001, 128_008, 128_009] && llama.bosTokenId == 128_000)
        #expect(llama.doSample == true && llama.temperature == 0.6 && llama.topP == 0.9 && llama.topK == nil)
        let qwen = try GenerationConfig.load(contentsOf: ModelsIO.fixture("configs/generation-qwen3-0.6b.json"))
        #expect(qwen.eosTokenId == [151_645, 151_643] && qwen.padTokenId == 151_643)
        #expect(qwen.topK == 20 && qwen.topP == 0.95 && qwen.temperature == 0.6)
    }

    @Test("values no sampler can use are errors naming the key", arguments: [
        (#"{"top_p": 1.5}"#, "top_p"), (#"{"temperature": -1}"#, "temperature"), (#"{"top_k": -3}"#, "top_k"),
        (#"{"max_new_tokens": -1}"#, "max_new_tokens"), (#"{"repetition_penalty": 0}"#, "repetition_penalty"),
        (#"{"eos_token_id": "eos"}"#, "eos_token_id"), (#"{"do_sample": "yes"}"#, "do_sample"),
    ])
    func invalid(json: String, key: String) {
        guard case let .invalidConfig(file, k, _)? = ModelsIO.error({ try GenerationConfig.decode(Data(json.utf8), path: "g.json") }) else {
            Issue.record("expected invalidConfig for \(json)"); return
        }
        #expect(file == "g.json" && k == key)
    }
}
