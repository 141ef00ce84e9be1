// `align eval ifeval --model DIR` in-process on the shared tiny Llama (with a chat template added in a temporary
// copy of its folder): the responses file it writes holds the first 3 IFEval prompts in order, each with the text
// the Swift API generates for that prompt alone (greedy, 8 tokens, chat-rendered), and the scores it prints equal
// scoring that file separately. Also: option errors, and a folder without a chat template.
import Foundation
import Testing
@testable import AlignCLI
import AlignDecoding
import AlignEval
import AlignModels
import AlignTokenizers
import AlignTestSupport

@Suite("align eval ifeval --model")
struct EvalIFEvalGenerateTests {
    static let tiny = FixturePaths.shared("models/tiny-llama")
    static let prompts = FixturePaths.shared("ifeval/input_data.jsonl")
    /// A Zephyr-style template (BOS, role tags, EOS after each turn).
    static let template = "{{ bos_token }}{% for m in messages %}<|{{ m['role'] }}|>\\n{{ m['content'] }}{{ eos_token }}\\n"
        + "{% endfor %}{% if add_generation_prompt %}<|assistant|>\\n{% endif %}"

    /// A temporary model folder: the tiny Llama's files linked, plus a tokenizer_config.json with `template`.
    static func chatModel() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ifeval-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for name in ["config.json", "model.safetensors", "tokenizer.json", "generation_config.json"] {
            try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent(name),
                                                       withDestinationURL: tiny.appendingPathComponent(name))
        }
        let config = "{\"bos_token\": \"<s>\", \"eos_token\": \"</s>\", \"chat_template\": \"\(template)\"}"
        try Data(config.utf8).write(to: dir.appendingPathComponent("tokenizer_config.json"))
        return dir
    }

    static func run(_ args: [String]) throws -> String {
        var out = ""
        try EvalIFEvalCommand.parse(args).execute(write: { out += $0 })
        return out
    }

    @Test("--limit 3 --max-new-tokens 8: the written rows are the API's greedy responses; scores equal scoring the file")
    func generateThenScore() throws {
        let model = try Self.chatModel()
        defer { try? FileManager.default.removeItem(at: model) }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ifeval-resp-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: out) }
        let common = ["--prompts", Self.prompts.path, "--responses", out.path, "--limit", "3", "--json"]
        let generated = try Self.run(["--model", model.path, "--max-new-tokens", "8"] + common)

        let lines = try String(contentsOf: out, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        let rows = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String]) }
        let first3 = Array(try IFEvalData.readPrompts(Self.prompts).prefix(3))
        #expect(rows.map { $0["prompt"] } == first3.map(\.prompt))
        #expect(rows.allSatisfy { Set($0.keys) == ["prompt", "response"] })

        // Each prompt alone through the Swift API: chat rendering, greedy, 8 new tokens.
        let lm = try DecoderModel.load(directory: model)
        let tokenizer = try Tokenizer(contentsOf: model.appendingPathComponent("tokenizer.json"))
        let template = try ChatTemplateConfig(directory: model).template()
        var p = try GenerateParameters(contentsOf: model.appendingPathComponent("generation_config.json"))
        p.maxNewTokens = 8
        for (row, prompt) in zip(rows, first3) {
            let text = try template.render(messages: [.object([("role", .string("user")), ("content", .string(prompt.prompt))])],
                                           addGenerationPrompt: true)
            #expect(text.hasPrefix("<s><|user|>\n") && text.hasSuffix("</s>\n<|assistant|>\n"))
            let ids = tokenizer.encode(text, addSpecialTokens: false).ids.map { Int32($0) }
            let alone = try TokenGenerator(model: lm, prompts: [ids], parameters: p, decoder: tokenizer).run()[0]
            #expect(alone.tokens.count == 8)
            #expect(row["response"] == alone.text, "prompt \(prompt.key)")
        }

        let scored = try Self.run(common)
        #expect(generated == scored)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(scored.utf8)) as? [String: Any])
        #expect(summary["num_prompts"] as? Int == 3)
    }

    @Test("--model needs --prompts; a folder without a chat template needs --no-chat-template")
    func errors() throws {
        #expect(throws: (any Error).self) {
            _ = try EvalIFEvalCommand.parse(["--model", Self.tiny.path, "--responses", "/tmp/x.jsonl"])
        }
        #expect(throws: (any Error).self) {
            _ = try EvalIFEvalCommand.parse(["--responses", "/tmp/x.jsonl", "--limit", "0", "--prompts", Self.prompts.path])
        }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ifeval-none-\(UUID().uuidString).jsonl")
        do {
            _ = try Self.run(["--model", Self.tiny.path, "--prompts", Self.prompts.path, "--responses", out.path, "--limit", "1"])
            Issue.record("expected an error for a folder without a chat template")
        } catch {
            #expect("\(error)".contains("--no-chat-template"))
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
