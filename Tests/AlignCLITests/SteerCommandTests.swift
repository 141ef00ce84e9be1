// `align steer build|sweep` and `align generate --steer` in-process on the shared tiny Llama: the built
// direction equals transformers' mean difference (Tests/Fixtures/steering/, scripts/fixtures/steering_fixture.py),
// generating with it at scale 8 gives transformers' steered greedy tokens, and the sweep prints one row per
// scale with scale 0 equal to the unsteered model. Plus spec errors.
import Foundation
import Testing
@testable import AlignCLI
import AlignDecoding
import AlignModels
import AlignTestSupport

private struct SteerFixture: Decodable {
    struct Greedy: Decodable { let sequence: [Int32] }
    struct Case: Decodable {
        let prompt: String
        let prompt_ids: [Int32]
        let scales: [String: Greedy]
    }
    let layer: Int
    let greedy: [Case]
}

@Suite("align steer")
struct SteerCommandTests {
    static let modelDir = FixturePaths.shared("models/tiny-llama").path
    static let steering = FixturePaths.fixture("steering")

    static func temporary(_ ext: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("steer-cli-\(UUID().uuidString).\(ext)")
    }

    /// Builds the direction at the fixture's layer into a temporary file.
    static func build() throws -> URL {
        let out = temporary("safetensors")
        var text = ""
        try SteerBuildCommand.parse(["--model", modelDir, "--positive", steering.appendingPathComponent("positive.jsonl").path,
                                     "--negative", steering.appendingPathComponent("negative.jsonl").path,
                                     "--layer", "1", "--out", out.path]).execute { text += $0 }
        #expect(text.hasPrefix("direction at layer 1: 256 values, norm "))
        return out
    }

    @Test("build writes transformers' mean difference; generate --steer FILE:1:8 gives transformers' steered tokens")
    func buildAndGenerate() throws {
        let f = try FixturePaths.loadJSON(SteerFixture.self, "steering/steering.json")
        let url = try Self.build()
        defer { try? FileManager.default.removeItem(at: url) }
        let built = try SteeringDirection(contentsOf: url)
        let expected = try SafetensorsFile(url: Self.steering.appendingPathComponent("steering.safetensors")).tensor("direction")
        #expect(built.layer == f.layer)
        let r = compareClose(built.direction, expected.scalars, atol: 1e-5, rtol: 1e-4)
        #expect(r.passed, "\(r)")

        let c = f.greedy[0]
        var line = ""
        try GenerateCommand.parse(["--model", Self.modelDir, "--prompt", c.prompt, "--max-new-tokens", "16", "--json",
                                   "--steer", "\(url.path):1:8"]).execute { line += $0 }
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let ids = try #require(obj["token_ids"] as? [Int]).map { Int32($0) }
        #expect(c.prompt_ids + ids == c.scales["8.0"]?.sequence)
    }

    @Test("sweep --json: one object per scale, scale 0 reproduces the unsteered completions")
    func sweep() throws {
        let url = try Self.build()
        let prompts = Self.temporary("jsonl")
        defer {
            try? FileManager.default.removeItem(at: url)
            try? FileManager.default.removeItem(at: prompts)
        }
        try Data("{\"prompt\": \"The weather today is\"}\n{\"prompt\": \"def fibonacci(n):\"}\n".utf8).write(to: prompts)
        var lines: [String] = []
        try SteerSweepCommand.parse(["--model", Self.modelDir, "--direction", url.path, "--scales", "0,8", "--prompts", prompts.path,
                                     "--reward", "keyword:e,a", "--max-new-tokens", "4", "--json"]).execute { lines.append($0) }
        #expect(lines.count == 2)
        let rows = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(rows.map { $0["scale"] as? Double } == [0, 8])
        #expect(rows[0]["reference_match"] as? Double == 1)
        #expect(rows[1]["reference_match"] as? Double == 0)
        #expect(Set(rows[0].keys) == ["scale", "mean_reward", "reference_logprob", "reference_perplexity", "reference_match", "mean_tokens"])

        var table: [String] = []
        try SteerSweepCommand.parse(["--model", Self.modelDir, "--direction", url.path, "--scales", "0,8", "--prompts", prompts.path,
                                     "--reward", "keyword:e,a", "--max-new-tokens", "4"]).execute { table.append($0) }
        let body = table.joined(separator: "\n").split(separator: "\n")
        #expect(body.count == 4, "title, header and one line per scale")
        #expect(body[1].hasPrefix("scale  mean reward"))
    }

    @Test("bad --steer and --scales specs are errors naming the spec")
    func specErrors() throws {
        #expect(throws: (any Error).self) { try SteerSpec.terms(["file.safetensors:1"]) }
        #expect(throws: (any Error).self) { try SteerSpec.terms(["file.safetensors:x:2"]) }
        #expect(throws: (any Error).self) { try SteerSpec.terms(["/no/such/file.safetensors:1:2"]) }
        #expect(try SteerSpec.scales("0, 2,4,-8") == [0, 2, 4, -8])
        #expect(throws: (any Error).self) { try SteerSpec.scales("0,two") }
        #expect(throws: (any Error).self) { try SteerSweepCommand.parse(["--model", "m", "--direction", "d", "--prompts", "p"]) }
    }
}
