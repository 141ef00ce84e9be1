// Parity with TRL 1.16's DPOTrainer dataset preparation on the tiny Llama's tokenizer: the committed
// fixture (scripts/fixtures/dpo_tokenization_fixture.py; trl 1.16.0, transformers 5.23.0, tokenizers 0.23.3)
// holds prompt/chosen/rejected ids for 8 hh-rlhf rows (implicit text prompt), 3 text rows with a prompt,
// 2 conversational rows with a prompt and 2 with an implicit prompt, the number of rows kept at
// max_length 64 with keep_start, and DataCollatorForPreference's rows at max_length 64 in both modes.
import AlignData
import AlignTestSupport
import Foundation
import Testing

struct CollatedFixture: Decodable {
    let input_ids: [[Int32]]
    let completion_mask: [[Int32]]
    let attention_mask: [[Int32]]
}

struct FileFixture: Decodable {
    struct Example: Decodable { let prompt_ids: [Int32]; let chosen_ids: [Int32]; let rejected_ids: [Int32] }
    let examples: [Example]
    let keep_start_kept: Int
    let keep_start: CollatedFixture
    let keep_end: CollatedFixture
}

struct TokenizationFixture: Decodable {
    let max_length: Int
    let pad_token_id: Int
    let files: [String: FileFixture]
}

@Suite("TRL 1.16 DPO tokenization parity")
struct TRLTokenizationParityTests {
    static let fixture: TokenizationFixture? = try? FixturePaths.loadJSON(TokenizationFixture.self, "data/dpo_tokenization.json")

    static func tokenizer() throws -> PreferenceTokenizer {
        let template = try String(contentsOf: FixturePaths.fixture("data/chat_template.jinja"), encoding: .utf8)
        return try PreferenceTokenizer(directory: FixturePaths.shared("models/tiny-llama"), chatTemplateSource: template)
    }

    @Test("prompt/chosen/rejected ids equal TRL's", arguments: ["hh_rlhf_8.jsonl", "text_prompt.jsonl", "chat_prompt.jsonl", "chat_implicit.jsonl"])
    func ids(file: String) throws {
        let fx = try #require(Self.fixture?.files[file])
        let examples = try PreferenceExample.load(FixturePaths.fixture("data/\(file)"))
        let got = try Self.tokenizer().tokenize(examples, maxLength: nil).examples
        #expect(got.count == fx.examples.count)
        for (g, e) in zip(got, fx.examples) {
            #expect(g.prompt == e.prompt_ids)
            #expect(g.chosen == e.chosen_ids)
            #expect(g.rejected == e.rejected_ids)
        }
    }

    @Test("keep_start at max_length 64 keeps TRL's rows and counts the dropped ones",
          arguments: ["hh_rlhf_8.jsonl", "text_prompt.jsonl", "chat_prompt.jsonl", "chat_implicit.jsonl"])
    func keepStartFilter(file: String) throws {
        let fx = try #require(Self.fixture?.files[file])
        let examples = try PreferenceExample.load(FixturePaths.fixture("data/\(file)"))
        let data = try Self.tokenizer().tokenize(examples, maxLength: 64, truncationMode: .keepStart)
        #expect(data.examples.count == fx.keep_start_kept)
        #expect(data.droppedByLength.count == examples.count - fx.keep_start_kept)
        #expect(data.examples.allSatisfy { $0.prompt.count + max($0.chosen.count, $0.rejected.count) <= 64 })
    }

    @Test("truncation equals DataCollatorForPreference's rows in both modes",
          arguments: ["hh_rlhf_8.jsonl", "text_prompt.jsonl", "chat_prompt.jsonl", "chat_implicit.jsonl"])
    func collatorTruncation(file: String) throws {
        let fx = try #require(Self.fixture?.files[file])
        for (mode, coll) in [(TruncationMode.keepStart, fx.keep_start), (.keepEnd, fx.keep_end)] {
            let examples = fx.examples.map { TokenizedPreference(prompt: $0.prompt_ids, chosen: $0.chosen_ids, rejected: $0.rejected_ids) }
            let cut = examples.map { $0.truncated(maxLength: 64, mode: mode) }
            let rows = cut.map { $0.sequences[0] } + cut.map { $0.sequences[1] }
            #expect(rows.count == coll.input_ids.count)
            for (i, row) in rows.enumerated() {
                let n = coll.attention_mask[i].reduce(0, +)
                #expect(row.prompt + row.completion == Array(coll.input_ids[i].prefix(Int(n))), "\(mode) row \(i)")
                let mask = Array(repeating: Int32(0), count: row.prompt.count) + Array(repeating: Int32(1), count: row.completion.count)
                #expect(mask == Array(coll.completion_mask[i].prefix(Int(n))), "\(mode) row \(i)")
            }
        }
    }

    @Test("keep_end cuts the two sequences' prompts independently")
    func keepEndSeparatePrompts() {
        let t = TokenizedPreference(prompt: [1, 2, 3, 4], chosen: [5, 6], rejected: [7, 8, 9, 10])
        let cut = t.truncated(maxLength: 5, mode: .keepEnd)
        #expect(cut.prompt == [2, 3, 4] && cut.chosen == [5, 6])
        #expect(cut.rejectedPrompt == [4] && cut.rejected == [7, 8, 9, 10])
        let start = t.truncated(maxLength: 5, mode: .keepStart)
        #expect(start == TokenizedPreference(prompt: [1, 2, 3, 4], chosen: [5], rejected: [7]))
    }
}
