// `align bench grammar --mask-times F`: one JSON line per walked file with its per-mask times, the input of
// scripts/peers/maskbench_common.py (TBM over the files every engine walked). Two tiny MaskBench-format files
// and one whose schema does not compile: the refused file has no line, and each walked file has one time per
// token of its valid instances (invalid instances are walked untimed, as MaskBench does).
import Foundation
import Testing
@testable import AlignCLI
import AlignGrammar
import AlignTestSupport

@Suite("align bench grammar --mask-times")
struct BenchGrammarMaskTimesTests {
    static func folder(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
        return dir
    }

    @Test func writesOneLinePerWalkedFile() throws {
        let dir = try Self.folder([
            "a.json": #"{"schema": {"type": "integer"}, "tests": [{"data": 12, "valid": true}, {"data": "x", "valid": false}]}"#,
            "b.json": #"{"schema": {"type": "object", "properties": {"k": {"type": "string"}}}, "tests": [{"data": {"k": "hello there"}, "valid": true}]}"#,
            "c.json": #"{"schema": {"type": "string", "format": "no-such-format"}, "tests": [{"data": "x", "valid": true}]}"#,
        ])
        let out = dir.appendingPathComponent("times.jsonl").path
        let tokenizer = FixturePaths.shared("models/tokenizer-32k.json").path
        try BenchGrammarCommand.parse(["--data", dir.path, "--tokenizer", tokenizer, "--mask-times", out, "--json"]).run()
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        let rows = try lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(rows.map { $0["file"] as? String } == ["a.json", "b.json"])
        #expect(rows.allSatisfy { $0["engine"] as? String == "alignkit" })
        // One mask per token of the valid instance, before each token (the bench's own tokenizer split).
        let vocab = try GrammarVocabulary(path: tokenizer)
        for (row, text) in zip(rows, ["12", #"{"k":"hello there"}"#]) {
            let times = try #require(row["tbm_us"] as? [Double])
            let ids = try #require(vocab.tokenize(Array(text.utf8)))
            #expect(times.count == ids.count, "\(row["file"] ?? "")")
            #expect(times.allSatisfy { $0 >= 0 })
        }
    }
}
