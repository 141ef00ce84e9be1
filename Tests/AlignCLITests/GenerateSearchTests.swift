// `align generate --search args|cd|deal|tq` in-process on the shared tiny Llama: each method prints the
// same completion, ids and reward as the library call it stands for (and so as `align decode
// --strategy`), and the option combinations that make no sense are refused.
import Foundation
import Testing
@testable import AlignCLI
import AlignDecoding
import AlignModels
import AlignTokenizers
import AlignTestSupport

@Suite("align generate --search")
struct GenerateSearchTests {
    static let modelDir = FixturePaths.shared("models/tiny-llama").path
    static let text = "def greet(name):"
    static let common = ["--max-new-tokens", "4", "--reward", "keyword:x,z,q,j"]

    static func object(_ args: [String]) throws -> [String: Any] {
        var out = ""
        try GenerateCommand.parse(["--model", modelDir, "--prompt", text, "--json"] + args).execute { out += $0 }
        let obj = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any]
        return try #require(obj, "not a JSON object: \(out)")
    }

    static func ids(_ obj: [String: Any]) -> [Int32]? { (obj["token_ids"] as? [Int])?.map { Int32($0) } }

    @Test("deal, args, cd and tq print what the library returns, reward included")
    func methodsMatchLibrary() throws {
        let (model, tok, ids, p) = try DecodeCommandTests.library(4)
        let reward = try KeywordReward(keywords: ["x", "z", "q", "j"])
        let deal = try Self.object(Self.common + ["--search", "deal", "--candidates", "3", "--beam-width", "2", "--lookahead", "2"])
        let dealLib = try DeAL.run(model: model, prompt: ids, promptText: Self.text, parameters: p, decoder: tok,
                                   heuristic: reward, config: DeALConfig(topK: 3, beamWidth: 2, lookahead: 2))
        #expect(Self.ids(deal) == dealLib.tokens)
        #expect(deal["reward"] as? Double == dealLib.reward)
        #expect(deal["completion"] as? String == dealLib.text)
        #expect(deal["finish_reason"] as? String == dealLib.finishReason.rawValue)

        let args = try Self.object(Self.common + ["--search", "args", "--candidates", "6", "--weight", "3"])
        let argsLib = try TokenwiseGuidance.run(model: model, prompt: ids, promptText: Self.text, parameters: p, decoder: tok,
                                                reward: reward, config: TokenwiseGuidanceConfig(topK: 6, weight: 3))
        #expect(Self.ids(args) == argsLib.tokens)

        var sampled = p
        sampled.seed = 9
        let cd = try Self.object(Self.common + ["--search", "cd", "--samples", "3", "--block-size", "2", "--seed", "9"])
        let cdLib = try BlockwiseControlledDecoding.run(model: model, prompt: ids, promptText: Self.text, parameters: sampled,
                                                        decoder: tok, value: reward,
                                                        config: BlockwiseCDConfig(numSamples: 3, blockSize: 2))
        #expect(Self.ids(cd) == cdLib.tokens)

        let tq = try Self.object(Self.common + ["--search", "tq", "--baseline", Self.modelDir, "--candidates", "3", "--alpha", "0.5"])
        let tqLib = try TransferQStar.run(model: model, baseline: model, prompt: ids, promptText: Self.text, parameters: p,
                                          decoder: tok, reward: reward, config: TransferQStarConfig(topK: 3, alpha: 0.5))
        #expect(Self.ids(tq) == tqLib.tokens)
        #expect(tq["reward"] as? Double == tqLib.reward)
    }

    @Test("--search without a reward, beside --best-of or a grammar, or tq without a baseline is refused")
    func refusesBadCombinations() {
        let base = ["--model", Self.modelDir, "--prompt", Self.text]
        #expect(throws: (any Error).self) { try GenerateCommand.parse(base + ["--search", "deal"]) }
        #expect(throws: (any Error).self) {
            try GenerateCommand.parse(base + Self.common + ["--search", "deal", "--best-of", "2"])
        }
        #expect(throws: (any Error).self) {
            try GenerateCommand.parse(base + Self.common + ["--search", "deal", "--regex", "[a-z]+"])
        }
        #expect(throws: (any Error).self) { try GenerateCommand.parse(base + Self.common + ["--search", "tq"]) }
        #expect(throws: (any Error).self) {
            try GenerateCommand.parse(base + Self.common + ["--search", "deal", "--baseline", Self.modelDir])
        }
        #expect(throws: (any Error).self) { try GenerateCommand.parse(base + ["--search", "beam", "--reward", "keyword:a"]) }
    }
}
