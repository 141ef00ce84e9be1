// `align generate`'s further generate options and --adapter, in-process on the shared tiny Llama: the
// options land in GenerateParameters as transformers' keywords would (bad words tokenized without special
// tokens), the CLI's greedy output equals the Swift API's with the same parameters, a +100 logit bias
// forces its token, and --adapter gives the adapted model's greedy continuation.
import Foundation
import Testing
@testable import AlignCLI
import AlignDecoding
import AlignModels
import AlignTensor
import AlignTokenizers
import AlignTestSupport

@Suite("align generate: more options and --adapter")
struct GenerateSamplerOptionsTests {
    static let modelDir = FixturePaths.shared("models/tiny-llama").path
    static let text = "def greet(name):"
    static let dir = URL(fileURLWithPath: modelDir)

    static func ids(_ args: [String]) throws -> [Int32] {
        var out = ""
        try GenerateCommand.parse(["--model", modelDir, "--prompt", text, "--json"] + args).execute { out += $0 }
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        return try #require(obj["token_ids"] as? [Int]).map { Int32($0) }
    }

    static func library(_ model: DecoderModel, _ configure: (inout GenerateParameters) -> Void) throws -> [Int32] {
        let tokenizer = try Tokenizer(contentsOf: dir.appendingPathComponent("tokenizer.json"))
        var p = try GenerateParameters(contentsOf: dir.appendingPathComponent("generation_config.json"))
        configure(&p)
        let prompt = tokenizer.encode(text).ids.map { Int32($0) }
        return try TokenGenerator(model: model, prompts: [prompt], parameters: p, decoder: tokenizer).run()[0].tokens
    }

    @Test("options map onto GenerateParameters; greedy output equals the API's")
    func optionsReachGeneration() throws {
        let tokenizer = try Tokenizer(contentsOf: Self.dir.appendingPathComponent("tokenizer.json"))
        let args = ["--max-new-tokens", "12", "--no-repeat-ngram-size", "2", "--frequency-penalty", "0.5",
                    "--presence-penalty", "0.25", "--bad-words", " return", "self", "--logit-bias", "13:1.5", "--min-new-tokens", "3"]
        let command = try GenerateCommand.parse(["--model", Self.modelDir, "--prompt", Self.text] + args)
        var p = GenerateParameters()
        try command.sampler.apply(to: &p, tokenizer: tokenizer)
        let badWords = [" return", "self"].map { tokenizer.encode($0, addSpecialTokens: false).ids.map { Int32($0) } }
        #expect(p.noRepeatNgramSize == 2 && p.frequencyPenalty == 0.5 && p.presencePenalty == 0.25 && p.minNewTokens == 3)
        #expect(p.badWordsIds == badWords && p.logitBias == [13: 1.5])

        let got = try Self.ids(args)
        let want = try Self.library(try DecoderModel.load(directory: Self.dir)) {
            $0.maxNewTokens = 12; $0.noRepeatNgramSize = 2; $0.frequencyPenalty = 0.5; $0.presencePenalty = 0.25
            $0.badWordsIds = badWords; $0.logitBias = [13: 1.5]; $0.minNewTokens = 3
        }
        #expect(got == want)
        #expect(got.count == 12)
        let plain = try Self.ids(["--max-new-tokens", "12"])
        #expect(plain != got)  // the options change the continuation, so the equality above means something
    }

    @Test("a +100 logit bias forces its token at every step")
    func logitBiasForces() throws {
        #expect(try Self.ids(["--max-new-tokens", "4", "--logit-bias", "777:100"]) == [777, 777, 777, 777])
    }

    @Test("--adapter generates as the adapted model")
    func adapter() throws {
        let adapted = try DecoderModel.load(directory: Self.dir)
        _ = try adapted.attachLoRA(targets: ["q_proj", "v_proj", "down_proj"], rank: 4, alpha: 8, seed: 3)
        var g = RandomGenerator(seed: 5)
        for (_, p) in adapted.loraParameters() {
            p.withUnsafeMutableBuffer { d in for i in 0 ..< d.count { d[i] = 0.4 * (g.nextUniform() - 0.5) } }
        }
        let adapterDir = FileManager.default.temporaryDirectory.appendingPathComponent("gen-adapter-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: adapterDir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: adapterDir) }
        try adapted.saveLoRA(to: adapterDir)
        let want = try Self.library(adapted) { $0.maxNewTokens = 10 }
        let got = try Self.ids(["--max-new-tokens", "10", "--adapter", adapterDir.path])
        let plain = try Self.ids(["--max-new-tokens", "10"])
        #expect(got == want)
        #expect(plain != want)  // the adapter changes the greedy continuation
        #expect(throws: (any Error).self) { try Self.ids(["--adapter", "/nonexistent-adapter"]) }
    }

    @Test("malformed --logit-bias and --early-stopping are refused with the expected form")
    func badValues() {
        #expect(throws: (any Error).self) { try GenerateSamplerOptions.bias("13") }
        #expect(throws: (any Error).self) { try GenerateSamplerOptions.bias("x:1") }
        #expect(throws: (any Error).self) { try GenerateSamplerOptions.bias("-1:1") }
        #expect(throws: (any Error).self) { try GenerateSamplerOptions.earlyStopping("sometimes") }
        #expect(throws: (any Error).self) { try Self.ids(["--logit-bias", "99999999:1"]) }  // beyond the vocabulary
    }
}
