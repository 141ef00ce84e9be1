// `align generate --regex | --schema | --gbnf`: the random tiny Llama, left alone, never writes these strings;
// constrained, its greedy and sampled completions are sentences of the grammar and end with EOS (finish
// "stop"), and the JSON-Schema output parses and satisfies the schema.
import Foundation
import Testing
@testable import AlignCLI
import AlignTestSupport

@Suite("align generate with a grammar")
struct GenerateGrammarTests {
    static let modelDir = FixturePaths.shared("models/tiny-llama").path

    static func run(_ args: [String]) throws -> [String: Any] {
        var out = ""
        try GenerateCommand.parse(["--model", modelDir, "--prompt", "Answer:", "--json"] + args).execute { out += $0 }
        return try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
    }

    @Test func regexConstrainsGreedyAndSampledOutput() throws {
        for extra in [[], ["--temperature", "1", "--seed", "3"]] {
            let r = try Self.run(["--regex", "(yes|no|maybe) [0-9]{2}", "--max-new-tokens", "16"] + extra)
            let text = try #require(r["completion"] as? String)
            #expect(text.range(of: "^(yes|no|maybe) [0-9]{2}$", options: .regularExpression) != nil, "\(text)")
            #expect(r["finish_reason"] as? String == "stop")
        }
    }

    @Test func schemaOutputValidates() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString).json")
        try Data(#"{"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"], "additionalProperties": false}"#.utf8).write(to: url)
        let r = try Self.run(["--schema", url.path, "--max-new-tokens", "40"])
        let text = try #require(r["completion"] as? String)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
        #expect(object.keys.sorted() == ["ok"])
        #expect(object["ok"] is Bool)
    }

    @Test func gbnfAndOptionErrors() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("g-\(UUID().uuidString).gbnf")
        try Data("root ::= \"A\" [0-9] \"!\"\n".utf8).write(to: url)
        let text = try #require(try Self.run(["--gbnf", url.path, "--max-new-tokens", "8"])["completion"] as? String)
        #expect(text.range(of: "^A[0-9]!$", options: .regularExpression) != nil, "\(text)")
        #expect(throws: (any Error).self) { _ = try GenerateCommand.parse(["--model", Self.modelDir, "--prompt", "x", "--regex", "a", "--gbnf", url.path]) }
        #expect(throws: (any Error).self) { _ = try GenerateCommand.parse(["--model", Self.modelDir, "--prompt", "x", "--regex", "a", "--num-beams", "2"]) }
    }
}
