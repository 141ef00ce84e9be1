// `align generate --lark F` and `align grammar check|walk --lark F`: the random tiny Llama constrained by a
// Lark grammar writes a sentence of it and stops with EOS; option validation counts --lark as a grammar.
import Foundation
import Testing
@testable import AlignCLI
import AlignTestSupport

@Suite("align generate and grammar with --lark")
struct GenerateLarkTests {
    static func larkFile(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("g-\(UUID().uuidString).lark")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func larkConstrainsGreedyOutput() throws {
        let path = try Self.larkFile("start: ANSWER \" \" INT\nANSWER: \"yes\" | \"no\"\n%import common.INT\n")
        let r = try GenerateGrammarTests.run(["--lark", path, "--max-new-tokens", "12"])
        let text = try #require(r["completion"] as? String)
        #expect(text.range(of: "^(yes|no) [0-9]+$", options: .regularExpression) != nil, "\(text)")
    }

    @Test func larkCountsAsAGrammarOption() throws {
        let path = try Self.larkFile("start: \"a\"\n")
        let model = GenerateGrammarTests.modelDir
        #expect(throws: (any Error).self) { _ = try GenerateCommand.parse(["--model", model, "--prompt", "x", "--lark", path, "--regex", "a"]) }
        #expect(throws: (any Error).self) { _ = try GrammarCheckCommand.parse(["--lark", path, "--gbnf", path]) }
        let check = try GrammarCheckCommand.parse(["--lark", path])
        #expect(try check.source.compile().flat.ruleCount > 0)
        let bad = try GrammarCheckCommand.parse(["--lark", try Self.larkFile("start: \"a\"\n%declare X\n")])
        #expect(throws: (any Error).self) { _ = try bad.source.compile() }
    }
}
