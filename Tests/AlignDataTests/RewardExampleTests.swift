// Reward-model rows (RewardExample, TRL 1.16 RewardTrainer's `_prepare_dataset`): explicit and implicit
// prompts kept whole, the margin column, and a malformed row named by file:line; hand-made inputs. The
// token ids themselves are checked against TRL in Tests/AlignTrainingTests/RewardTrainerParityTests.swift.
import AlignData
import AlignTestSupport
import Foundation
import Testing

@Suite("Reward-model rows")
struct RewardExampleTests {
    @Test("explicit prompt and margin are read; an implicit prompt is not split off")
    func layouts() throws {
        let explicit = try RewardExample.load(try tempFile("e.jsonl", #"{"prompt": "Q", "chosen": " a", "rejected": " b", "margin": 2}"#))
        #expect(explicit == [RewardExample(location: explicit[0].location, prompt: .text("Q"), chosen: .text(" a"),
                                           rejected: .text(" b"), margin: 2)])
        let implicit = try RewardExample.load(try tempFile("i.jsonl", #"{"chosen": "Q a", "rejected": "Q b"}"#))
        #expect(implicit[0].prompt == nil && implicit[0].chosen == .text("Q a") && implicit[0].margin == nil)
    }

    @Test("a bad row names file:line and the reason")
    func malformedRows() throws {
        let good = #"{"chosen": "a", "rejected": "b", "margin": 0.5}"#
        let cases: [(String, Int, String)] = [
            (good + "\n" + #"{"chosen": "a", "rejected": "b", "margin": "x"}"#, 2, "column 'margin' must be a finite number, found a string"),
            (good + "\n" + #"{"chosen": "a", "rejected": "b"}"#, 2, "columns differ from the first row's"),
            (good + "\n" + #"{"chosen": [{"role": "user", "content": "x"}], "rejected": [{"role": "user", "content": "y"}], "margin": 1}"#,
             2, "conversational row in a text dataset"),
            (#"{"chosen": "a", "rejected": [{"role": "user", "content": "y"}]}"#, 1, "both be text"),
        ]
        for (text, line, reason) in cases {
            let url = try tempFile("d.jsonl", text)
            do {
                _ = try RewardExample.load(url)
                Issue.record("no error for \(text)")
            } catch let AlignDataError.malformedRow(loc, why) {
                #expect(loc.line == line && why.contains(reason), "\(loc): \(why)")
            }
        }
    }
}
