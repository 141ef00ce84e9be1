// `align generate --grammar-aligned N`: ASAp sampling through the CLI on the random tiny Llama — the printed
// completion is a sentence of the regex ending with EOS, the same seed repeats it, and the option is refused
// without a grammar or with filters that would change the target distribution.
import Foundation
import Testing
@testable import AlignCLI
import AlignTestSupport

@Suite("align generate --grammar-aligned")
struct GenerateGrammarAlignedTests {
    static let modelDir = FixturePaths.shared("models/tiny-llama").path

    static func run(_ args: [String]) throws -> [String: Any] {
        var out = ""
        try GenerateCommand.parse(["--model", modelDir, "--prompt", "Answer:", "--json"] + args).execute { out += $0 }
        return try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
    }

    @Test("ASAp output matches the regex, ends with EOS and repeats under the same seed")
    func regexOutput() throws {
        let args = ["--regex", "(yes|no|maybe) [0-9]", "--max-new-tokens", "12", "--grammar-aligned", "3", "--seed", "4"]
        let r = try Self.run(args)
        let text = try #require(r["completion"] as? String)
        #expect(text.range(of: "^(yes|no|maybe) [0-9]$", options: .regularExpression) != nil, "\(text)")
        #expect(r["finish_reason"] as? String == "stop")
        #expect((r["token_ids"] as? [Int])?.last == 2)
        #expect(try Self.run(args)["completion"] as? String == text)
    }

    @Test("--grammar-aligned needs a grammar, N ≥ 1, and no top-k/top-p/min-p/repetition penalty")
    func optionErrors() throws {
        let base = ["--model", Self.modelDir, "--prompt", "x"]
        #expect(throws: (any Error).self) { _ = try GenerateCommand.parse(base + ["--grammar-aligned", "2"]) }
        #expect(throws: (any Error).self) { _ = try GenerateCommand.parse(base + ["--regex", "a", "--grammar-aligned", "0"]) }
        #expect(throws: (any Error).self) { _ = try GenerateCommand.parse(base + ["--regex", "a", "--grammar-aligned", "2", "--top-k", "5"]) }
        _ = try GenerateCommand.parse(base + ["--regex", "a", "--grammar-aligned", "2", "--temperature", "0.8"])
    }
}
