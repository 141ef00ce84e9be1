// `align eval prefs | kl | diversity | rm-winrate` run in-process on small files: JSON values by hand or from the
// nltk fixture (Tests/Fixtures/evalmetrics/diversity.json), tables, and file:line errors.
import Foundation
import Testing
import AlignCLI
import AlignEval
import AlignTestSupport

/// Writes `text` to a fresh temporary file and returns its path.
private func tempFile(_ text: String, _ name: String = "in.jsonl") throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evalmetrics-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url.path
}

private func jsonObject(_ line: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
}

private func double(_ o: [String: Any], _ key: String) throws -> Double {
    try #require((o[key] as? NSNumber)?.doubleValue, "key \(key)")
}

@Suite("align eval metric commands")
struct EvalMetricsCommandTests {
    @Test("prefs, kl, diversity and rm-winrate are eval subcommands")
    func registered() {
        let names = EvalCommand.configuration.subcommands.map { $0.configuration.commandName }
        for n in ["prefs", "kl", "diversity", "rm-winrate"] { #expect(names.contains(n)) }
    }

    @Test("diversity --json: distinct-n and self-BLEU equal the nltk fixture")
    func diversityJSON() throws {
        let responses = ["The capital of France is Paris .", "The capital of France is Paris , a city on the Seine .",
                         "Paris is the capital of France .", "I think the capital of France is Paris .",
                         "France's capital city is Paris, known for the Eiffel Tower."]
        let path = try tempFile(responses.map { "{\"response\": \"\($0)\"}" }.joined(separator: "\n") + "\n")
        let o = try jsonObject(try EvalDiversityCommand.parse(["--responses", path, "--json"]).output())
        let (d1, d4) = (try double(o, "distinct_1"), try double(o, "distinct_4"))
        #expect(abs(d1 - 21.0 / 46) < 1e-12 && abs(d4 - 24.0 / 31) < 1e-12)
        #expect(abs(try double(o, "self_bleu") - 0.514706925301217) < 1e-9)  // nltk, method1 (fixture "assistant_replies")
        let table = try EvalDiversityCommand.parse(["--responses", path]).output()
        #expect(table.contains("distinct-2") && table.contains("self-BLEU") && table.contains("(smoothing method1)"))
        #expect(throws: (any Error).self) { try EvalDiversityCommand.parse(["--responses", path, "--smoothing", "method7"]) }
    }

    @Test("kl --logprobs: k1/k2/k3 per token and per sequence by hand")
    func klFromLogprobs() throws {
        let path = try tempFile("{\"logps\": [-1, -2], \"ref_logps\": [-1.5, -1]}\n{\"logps\": [-0.5], \"ref_logps\": [-0.7]}\n")
        let o = try jsonObject(try EvalKLCommand.parse(["--logprobs", path, "--json"]).output())
        let k1 = try #require(o["k1"] as? [String: Any]), k2 = try #require(o["k2"] as? [String: Any])
        // k1 per token: (0.5 − 1 + 0.2)/3 = −0.1; per sequence: (−0.5 + 0.2)/2 = −0.15.
        let (perToken, perSequence) = (try double(k1, "per_token"), try double(k1, "per_sequence"))
        #expect(abs(perToken + 0.1) < 1e-12 && abs(perSequence + 0.15) < 1e-12)
        // k2 per token: ½(0.25 + 1 + 0.04)/3 = 0.215.
        let k2PerToken = try double(k2, "per_token")
        #expect(abs(k2PerToken - 0.215) < 1e-12 && o["exact"] == nil)
        #expect(throws: (any Error).self) { try EvalKLCommand.parse(["--logprobs", path, "--model", "m"]) }
    }

    @Test("rm-winrate: hard and soft win rates by hand")
    func rewardWinRate() throws {
        let path = try tempFile("{\"policy_score\": 1, \"reference_score\": 0}\n{\"policy_score\": 0, \"reference_score\": 1}\n"
            + "{\"policy_score\": 2, \"reference_score\": 2}\n{\"policy_score\": 3, \"reference_score\": 1}\n")
        let o = try jsonObject(try EvalRewardWinRateCommand.parse(["--scores", path, "--json"]).output())
        // hard: (1 + 0 + ½ + 1)/4; soft: (σ(1) + σ(−1) + ½ + σ(2))/4.
        #expect(try double(o, "win_rate") == 0.625)
        #expect(abs(try double(o, "soft_win_rate") - (1.5 + 1 / (1 + exp(-2.0))) / 4) < 1e-12)
    }

    @Test("prefs with precomputed log-probs and with reward-model scores; TRL's metric names")
    func prefsPrecomputedAndScores() throws {
        let data = try tempFile("""
            {"prompt": "p", "chosen": "a", "rejected": "b", "chosen_logps": -10, "rejected_logps": -12, "ref_chosen_logps": -11, "ref_rejected_logps": -11}
            {"prompt": "p", "chosen": "c", "rejected": "d", "chosen_logps": -5, "rejected_logps": -4, "ref_chosen_logps": -5, "ref_rejected_logps": -5}
            """)
        let o = try jsonObject(try EvalPrefsCommand.parse(["--data", data, "--beta", "0.5", "--json"]).output())
        // margins 0.5·(1 + 1) = 1 and 0.5·(0 − 1) = −0.5.
        let (accuracy, margin) = (try double(o, "rewards/accuracies"), try double(o, "rewards/margins"))
        #expect(accuracy == 0.5 && abs(margin - 0.25) < 1e-12)
        let scores = try tempFile("{\"chosen_score\": 2, \"rejected_score\": 1}\n{\"chosen_score\": 1, \"rejected_score\": 1}\n")
        let s = try jsonObject(try EvalPrefsCommand.parse(["--scores", scores, "--json"]).output())
        let (rmAccuracy, ties) = (try double(s, "rewards/accuracies"), try double(s, "ties"))
        #expect(rmAccuracy == 0.5 && ties == 1 && s["beta"] == nil)
        #expect(throws: (any Error).self) { try EvalPrefsCommand.parse(["--data", data, "--scores", scores]) }
    }

    @Test("prefs: a malformed line or a missing column is an error naming file:line")
    func prefsErrors() throws {
        let bad = try tempFile("{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\"}\n\n{\"prompt\": \"p\", \"chosen\": 5, \"rejected\": \"b\"}\n")
        #expect(throws: AlignEvalError.malformedLine(path: bad, line: 3, reason: "key 'chosen' must be a string")) {
            try EvalPrefsCommand.parse(["--data", bad]).output()
        }
        let noRef = try tempFile("{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\", \"chosen_logps\": -1, \"rejected_logps\": -2}\n")
        #expect(throws: AlignEvalError.malformedLine(path: noRef, line: 1,
            reason: "no 'ref_chosen_logps'/'ref_rejected_logps' numbers, and no model was given to compute them")) {
            try EvalPrefsCommand.parse(["--data", noRef]).output()
        }
    }
}
