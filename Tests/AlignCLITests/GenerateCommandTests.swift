// `align generate` in-process on the shared tiny Llama: greedy 8 tokens equal the Swift API's
// TokenGenerator output and transformers' (the first 8 of Tests/Fixtures/generation/tiny_llama_generate.json);
// streaming prints the same text; JSONL input; best-of-N reports a reward; option and spec errors.
import Foundation
import Testing
@testable import AlignCLI
import AlignDecoding
import AlignModels
import AlignTokenizers
import AlignTestSupport

private struct GreedyFixture: Decodable {
    struct Case: Decodable { let sequences: [[Int32]] }
    let prompt_texts: [String]
    let prompt_ids: [[Int32]]
    let greedy_single: [Case]
}

@Suite("align generate")
struct GenerateCommandTests {
    static let modelDir = FixturePaths.shared("models/tiny-llama").path

    static func output(_ args: [String]) throws -> String {
        var out = ""
        try GenerateCommand.parse(args).execute { out += $0 }
        return out
    }

    @Test("greedy 8 tokens: --json equals the Swift API and transformers; streaming prints the same text")
    func greedyMatchesAPI() throws {
        let f = try FixturePaths.loadJSON(GreedyFixture.self, "generation/tiny_llama_generate.json")
        let text = f.prompt_texts[1]
        let line = try Self.output(["--model", Self.modelDir, "--prompt", text, "--max-new-tokens", "8", "--json"])
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let ids = try #require(obj["token_ids"] as? [Int]).map { Int32($0) }

        let dir = URL(fileURLWithPath: Self.modelDir)
        let model = try DecoderModel.load(directory: dir)
        let tokenizer = try Tokenizer(contentsOf: dir.appendingPathComponent("tokenizer.json"))
        var p = try GenerateParameters(contentsOf: dir.appendingPathComponent("generation_config.json"))
        p.maxNewTokens = 8
        let prompt = tokenizer.encode(text).ids.map { Int32($0) }
        #expect(prompt == f.prompt_ids[1])
        let row = try TokenGenerator(model: model, prompts: [prompt], parameters: p, decoder: tokenizer).run()[0]
        #expect(ids == row.tokens)
        #expect(ids == Array(f.greedy_single[1].sequences[0][prompt.count ..< prompt.count + 8]))
        #expect(obj["completion"] as? String == row.text)
        #expect(obj["prompt"] as? String == text)
        #expect(obj["finish_reason"] as? String == "length")

        let streamed = try Self.output(["--model", Self.modelDir, "--prompt", text, "--max-new-tokens", "8"])
        #expect(streamed == row.text + "\n")
    }

    @Test("JSONL prompts give one object each; best-of-N adds the reward")
    func fileAndBestOf() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gen-\(UUID().uuidString).jsonl")
        try Data("{\"prompt\": \"The quick\"}\n\n{\"prompt\": \"def f(\"}\n".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let lines = try Self.output(["--model", Self.modelDir, "--file", url.path, "--max-new-tokens", "3",
                                     "--temperature", "0.7", "--seed", "5", "--best-of", "3",
                                     "--reward", "length:0-100:characters", "--json"])
            .split(separator: "\n")
        #expect(lines.count == 2)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        #expect(obj["prompt"] as? String == "def f(")
        #expect(obj["reward"] as? Double == 1)
        #expect((obj["token_ids"] as? [Int])?.count == 3)
    }

    @Test("option errors: no prompt, both prompts, --best-of without --reward, bad reward spec, bad JSONL line")
    func errors() throws {
        #expect(throws: (any Error).self) { try GenerateCommand.parse(["--model", "m"]) }
        #expect(throws: (any Error).self) { try GenerateCommand.parse(["--model", "m", "--prompt", "a", "--file", "f"]) }
        #expect(throws: (any Error).self) { try GenerateCommand.parse(["--model", "m", "--prompt", "a", "--best-of", "2"]) }
        #expect(throws: (any Error).self) { try RewardSpec.parse(["length:5-2"]) }
        #expect(throws: (any Error).self) { try RewardSpec.parse(["vibes:good"]) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).jsonl")
        try Data("{\"prompt\": \"ok\"}\n[1, 2]\n".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            _ = try PromptFile.read(path: url.path)
            Issue.record("expected an error for line 2")
        } catch {
            #expect("\(error)".contains(":2:"))
        }
    }

    @Test("reward specs score as their rewards (hand-computed)")
    func rewardSpecs() throws {
        let kw = try RewardSpec.parse(["keyword:fox,dog"])
        #expect(try kw.score(prompt: "", completion: "the fox") == 0.5)
        let sum = try RewardSpec.parse(["keyword:fox", "length:1-2"])
        #expect(try sum.score(prompt: "", completion: "the fox") == 2)
        #expect(try sum.score(prompt: "", completion: "a quick brown fox") == 1)
        let re = try RewardSpec.parse(["regex:^[0-9]+$"])
        #expect(try re.score(prompt: "", completion: "123") == 1)
    }
}
