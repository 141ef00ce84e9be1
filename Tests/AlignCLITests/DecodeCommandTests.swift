// `align decode` in-process on the shared tiny Llama: each strategy's --json line equals the library
// call it stands for (ARGS, DeAL, blockwise CD, Transfer Q*), self-consistency reports its vote, a
// json-schema reward spec is read from a file, and option errors are refused.
import Foundation
import Testing
@testable import AlignCLI
import AlignDecoding
import AlignModels
import AlignTokenizers
import AlignTestSupport

@Suite("align decode")
struct DecodeCommandTests {
    static let modelDir = FixturePaths.shared("models/tiny-llama").path
    static let text = "def greet(name):"

    static func object(_ args: [String]) throws -> [String: Any] {
        var out = ""
        try DecodeCommand.parse(["--model", modelDir, "--prompt", text, "--json"] + args).execute { out += $0 }
        let obj = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any]
        return try #require(obj, "not a JSON object: \(out)")
    }

    /// The model, tokenizer, prompt ids and generation_config.json parameters with `n` new tokens.
    static func library(_ n: Int) throws -> (DecoderModel, Tokenizer, [Int32], GenerateParameters) {
        let dir = URL(fileURLWithPath: modelDir)
        let tokenizer = try Tokenizer(contentsOf: dir.appendingPathComponent("tokenizer.json"))
        var p = try GenerateParameters(contentsOf: dir.appendingPathComponent("generation_config.json"))
        p.maxNewTokens = n
        return (try DecoderModel.load(directory: dir), tokenizer, tokenizer.encode(text).ids.map { Int32($0) }, p)
    }

    @Test("args, deal, cd and tq print what the library returns")
    func strategiesMatchLibrary() throws {
        let (model, tok, ids, p) = try Self.library(4)
        let reward = try KeywordReward(keywords: ["x", "z", "q", "j"])
        let common = ["--max-new-tokens", "4", "--reward", "keyword:x,z,q,j"]
        let args = try Self.object(common + ["--strategy", "args", "--candidates", "6", "--weight", "3"])
        let argsLib = try TokenwiseGuidance.run(model: model, prompt: ids, promptText: Self.text, parameters: p, decoder: tok,
                                                reward: reward, config: TokenwiseGuidanceConfig(topK: 6, weight: 3))
        #expect((args["token_ids"] as? [Int])?.map { Int32($0) } == argsLib.tokens)
        #expect(args["reward"] as? Double == argsLib.reward)
        #expect(args["completion"] as? String == argsLib.text)

        let deal = try Self.object(common + ["--strategy", "deal", "--candidates", "3", "--beam-width", "2", "--lookahead", "2"])
        let dealLib = try DeAL.run(model: model, prompt: ids, promptText: Self.text, parameters: p, decoder: tok,
                                   heuristic: reward, config: DeALConfig(topK: 3, beamWidth: 2, lookahead: 2))
        #expect((deal["token_ids"] as? [Int])?.map { Int32($0) } == dealLib.tokens)

        var sampled = p
        sampled.seed = 9
        let cd = try Self.object(common + ["--strategy", "cd", "--samples", "3", "--block-size", "2", "--seed", "9"])
        let cdLib = try BlockwiseControlledDecoding.run(model: model, prompt: ids, promptText: Self.text, parameters: sampled,
                                                        decoder: tok, value: reward,
                                                        config: BlockwiseCDConfig(numSamples: 3, blockSize: 2))
        #expect((cd["token_ids"] as? [Int])?.map { Int32($0) } == cdLib.tokens)

        let tq = try Self.object(common + ["--strategy", "tq", "--baseline", Self.modelDir, "--candidates", "3", "--alpha", "0.5"])
        let tqLib = try TransferQStar.run(model: model, baseline: model, prompt: ids, promptText: Self.text, parameters: p,
                                          decoder: tok, reward: reward, config: TransferQStarConfig(topK: 3, alpha: 0.5))
        #expect((tq["token_ids"] as? [Int])?.map { Int32($0) } == tqLib.tokens)
    }

    @Test("self-consistency reports the answer and its votes; a json-schema reward is read from a file")
    func voteAndSchema() throws {
        let sc = try Self.object(["--strategy", "self-consistency", "--samples", "4", "--max-new-tokens", "6",
                                  "--answer-regex", "[a-z]"])
        let votes = try #require(sc["votes"] as? [String: Int])
        #expect(votes.values.reduce(0, +) <= 4 && !votes.isEmpty)
        let answer = try #require(sc["answer"] as? String)
        #expect(votes[answer] == votes.values.max())

        let url = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString).json")
        try Data(#"{"type": "object"}"#.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let js = try Self.object(["--strategy", "args", "--max-new-tokens", "2", "--reward", "json-schema:\(url.path)"])
        #expect(js["reward"] as? Double == 0)  // two random tokens are not a JSON object
    }

    @Test("option errors: missing reward, tq without baseline, baseline elsewhere, unreadable schema")
    func errors() throws {
        let base = ["--model", Self.modelDir, "--prompt", "a"]
        #expect(throws: (any Error).self) { try DecodeCommand.parse(base + ["--strategy", "args"]) }
        #expect(throws: (any Error).self) { try DecodeCommand.parse(base + ["--strategy", "tq", "--reward", "keyword:a"]) }
        #expect(throws: (any Error).self) {
            try DecodeCommand.parse(base + ["--strategy", "deal", "--reward", "keyword:a", "--baseline", "b"])
        }
        #expect(throws: (any Error).self) { try DecodeCommand.parse(base + ["--strategy", "beam"]) }
        #expect(throws: (any Error).self) { try RewardSpec.parse(["json-schema:/nonexistent/schema.json"]) }
        let names = AlignCommand.configuration.subcommands.map { $0.configuration.commandName }
        #expect(names.contains("decode"))
    }
}
