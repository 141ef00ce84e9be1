// Greedy generation on every fixture architecture against transformers 5.23's `model.generate`:
// Tests/Fixtures/generation/architectures_generate.json from scripts/fixtures/generation_architectures_fixture.py
// — Qwen2, Qwen3, Mistral (sliding window 32, shorter than prompt + 64 tokens), SmolLM-style Llama and
// GPT-2 (learned positions), each on a left-padded batch of 2 prompts and on each prompt alone,
// 64 new tokens, token for token. The prompts were chosen so every greedy step has a top-2 logit
// gap ≥ 0.01 and the rows neither stop early nor repeat one token.
import Foundation
import Testing
import AlignDecoding
import AlignModels
import AlignTestSupport

struct ArchitectureGenerationFixture: Decodable {
    struct Run: Decodable {
        let prompts: [[Int32]]
        let input_ids: [[Int32]]
        let attention_mask: [[Int32]]
        let sequences: [[Int32]]
    }
    struct Model: Decodable {
        let model: String
        let seed: Int
        let min_top2_gap: Double
        let batch: Run
        let singles: [Run]
    }
    let max_new_tokens: Int
    let pad_token_id: Int32
    let eos_token_id: Int32
    let models: [String: Model]

    static let shared = Result { try FixturePaths.loadJSON(Self.self, "generation/architectures_generate.json") }
}

@Suite("Greedy generation on every architecture equals transformers")
struct ArchitectureGenerationTests {
    static let names = ["qwen2", "qwen3", "mistral", "smollm", "gpt2"]

    /// Generates greedily for `run.prompts` and returns prompt + padding + new tokens per row, padded
    /// with the pad id to the longest row — transformers' `sequences`.
    static func sequences(_ model: DecoderModel, _ run: ArchitectureGenerationFixture.Run,
                          _ f: ArchitectureGenerationFixture) throws -> [[Int32]] {
        var p = GenerateParameters()
        p.maxNewTokens = f.max_new_tokens
        p.eosTokenIds = [f.eos_token_id]
        p.padTokenId = f.pad_token_id
        let rows = try TokenGenerator(model: model, prompts: run.prompts, parameters: p).run()
        let longest = rows.map(\.tokens.count).max() ?? 0
        return zip(run.input_ids, rows).map { ids, row in
            ids + row.tokens + Array(repeating: f.pad_token_id, count: longest - row.tokens.count)
        }
    }

    @Test("left-padded batch of 2, 64 new tokens, token for token", arguments: names)
    func batch(name: String) throws {
        let f = try ArchitectureGenerationFixture.shared.get()
        let c = try #require(f.models[name])
        let model = try DecoderModel.load(directory: FixturePaths.fixture(c.model))
        #expect(c.batch.attention_mask[1].contains(0), "row 1 is left-padded")
        let ours = try Self.sequences(model, c.batch, f)
        for b in 0 ..< 2 {
            #expect(ours[b] == c.batch.sequences[b], "\(name) row \(b)")
        }
    }

    @Test("each prompt alone, 64 new tokens, token for token", arguments: names)
    func singles(name: String) throws {
        let f = try ArchitectureGenerationFixture.shared.get()
        let c = try #require(f.models[name])
        let model = try DecoderModel.load(directory: FixturePaths.fixture(c.model))
        for (i, run) in c.singles.enumerated() {
            #expect(try Self.sequences(model, run, f) == run.sequences, "\(name) prompt \(i)")
        }
    }

    @Test("the fixture exercises what it claims: the window is shorter than the sequences, rows run long")
    func fixtureShape() throws {
        let f = try ArchitectureGenerationFixture.shared.get()
        #expect(Set(f.models.keys) == Set(Self.names) && f.max_new_tokens == 64)
        let m = try #require(f.models["mistral"])
        let window = try #require(try DecoderModel.load(directory: FixturePaths.fixture(m.model)).spec.slidingWindow)
        #expect(window == 32 && m.batch.sequences[0].count > window + 32)
        for (name, c) in f.models {
            #expect(c.min_top2_gap >= 0.01, "\(name)")
        }
    }
}
