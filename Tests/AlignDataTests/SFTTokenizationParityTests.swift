// SFT dataset preparation vs TRL 1.16's SFTTrainer (Tests/Fixtures/sft/sft_tokenization.json, made by
// scripts/fixtures/sft_parity_fixture.py): for the four SFT layouts (text, prompt-completion, conversational
// prompt-completion, messages) on the tiny Llama's tokenizer with the fixture chat template, and six settings
// (no truncation; max_length 12 keep_start / keep_end with the drop of target-less rows; packing at 24 with
// bfd, bfd_split and wrapped), every prepared row's input_ids, target flags (labels ≠ −100) and
// seq_lengths equal TRL's.
import AlignData
import AlignTestSupport
import Foundation
import Testing

struct SFTTokenizationFixture: Decodable {
    struct Row: Decodable {
        var input_ids: [Int32]
        var labels: [Int32]
        var seq_lengths: [Int]?
    }
    var files: [String: [String: [Row]]]
}

@Suite("SFT tokenization parity with TRL")
struct SFTTokenizationParityTests {
    static let settings: [String: SFTDataConfig] = {
        func make(_ n: Int?, _ mode: TruncationMode = .keepStart, packing: PackingStrategy? = nil) -> SFTDataConfig {
            var c = SFTDataConfig()
            c.maxLength = n
            c.truncationMode = mode
            if let packing { c.packing = true; c.packingStrategy = packing }
            return c
        }
        return ["full": make(nil), "keep_start_12": make(12), "keep_end_12": make(12, .keepEnd),
                "bfd_24": make(24, packing: .bfd), "bfd_split_24": make(24, packing: .bfdSplit),
                "wrapped_24": make(24, packing: .wrapped)]
    }()

    @Test("every file × setting matches TRL's prepared rows", arguments: ["text.jsonl", "prompt_completion.jsonl",
                                                                           "chat_prompt_completion.jsonl", "messages.jsonl"])
    func matches(file: String) throws {
        let fixture = try FixturePaths.loadJSON(SFTTokenizationFixture.self, "sft/sft_tokenization.json")
        let expected = try #require(fixture.files[file])
        let examples = try SFTExample.load(FixturePaths.fixture("sft/\(file)"))
        let tok = try tinyLlamaSFT()
        #expect(expected.count == Self.settings.count)
        for (name, config) in Self.settings {
            let rows = try #require(expected[name], "\(name)")
            let ours = try tok.prepare(examples, config: config).examples
            #expect(ours.count == rows.count, "\(file) \(name): \(ours.count) rows, TRL \(rows.count)")
            for (i, (a, b)) in zip(ours, rows).enumerated() {
                #expect(a.sequences.flatMap(\.ids) == b.input_ids, "\(file) \(name) row \(i) ids")
                #expect(a.sequences.flatMap(\.isTarget) == b.labels.map { $0 != -100 }, "\(file) \(name) row \(i) labels")
                let lengths = a.sequences.map(\.ids.count)
                #expect(b.seq_lengths == nil ? lengths.count == 1 : lengths == b.seq_lengths, "\(file) \(name) row \(i) seq_lengths")
            }
        }
    }
}
