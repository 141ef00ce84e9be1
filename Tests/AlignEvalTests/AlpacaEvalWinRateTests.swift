// AlpacaEval win rates recomputed from the judgment files equal the AlpacaEval 2.0 leaderboard's columns.
// Witness: ../shared/data/preferences/alpaca_eval_weighted_gpt4_turbo/ (annotations + leaderboard CSV from
// tatsu-lab/alpaca_eval; see its README).
import Foundation
import Testing
import AlignEval
import AlignTestSupport

private let folder = "preferences/alpaca_eval_weighted_gpt4_turbo"

/// Leaderboard rows by model name (simple CSV: the rows used here have no quoted fields).
private func leaderboard() throws -> [String: [String: String]] {
    let text = try String(contentsOf: FixturePaths.shared("\(folder)/weighted_alpaca_eval_gpt4_turbo_leaderboard.csv"),
                          encoding: .utf8)
    var lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    let header = lines.removeFirst()
    var rows: [String: [String: String]] = [:]
    for cells in lines where cells.count == header.count {
        rows[cells[0]] = Dictionary(uniqueKeysWithValues: zip(header, cells))
    }
    return rows
}

@Suite("AlpacaEval win rates")
struct AlpacaEvalWinRateTests {
    @Test("win rate, standard error, counts, discrete win rate and avg length equal the leaderboard",
          arguments: ["alpaca-7b", "gpt-3.5-turbo-1106"])
    func leaderboardParity(_ model: String) throws {
        let judgments = try AlpacaEvalWinRate.readAnnotations(FixturePaths.shared("\(folder)/\(model).annotations.json"))
        let w = try AlpacaEvalWinRate(judgments: judgments)
        let row = try #require(try leaderboard()[model])
        func num(_ k: String) throws -> Double { try #require(Double(row[k] ?? "")) }
        let winRate = try num("win_rate"), se = try num("standard_error"), discrete = try num("discrete_win_rate")
        let counts = [try num("n_wins"), try num("n_wins_base"), try num("n_draws"), try num("n_total")]
        let avgLength = try num("avg_length")
        #expect(abs(w.winRate - winRate) <= 1e-12 * max(1, abs(winRate)))
        #expect(abs(w.standardError - se) <= 1e-12)
        #expect(abs(w.discreteWinRate - discrete) <= 1e-12)
        #expect([w.nWins, w.nWinsBase, w.nDraws, w.nTotal].map(Double.init) == counts)
        #expect(Double(w.avgLength) == avgLength && w.nDropped == 0)
    }

    @Test("hand-computed summary; ties coded 0 count as draws; null preferences are dropped and reported")
    func handComputed() throws {
        func j(_ p: Double?, _ out: String) throws -> AlpacaEvalJudgment {
            let json = "{\"instruction\": \"i\", \"output_1\": \"b\", \"output_2\": \"\(out)\", \"preference\": \(p.map { "\($0)" } ?? "null")}"
            return try JSONDecoder().decode(AlpacaEvalJudgment.self, from: Data(json.utf8))
        }
        let w = try AlpacaEvalWinRate(judgments: [try j(2, "ab"), try j(1, "abcd"), try j(0, "é"), try j(1.75, "x"),
                                                  try j(nil, "zzz")])
        // p − 1 = 1, 0, 0.5, 0.75 → mean 0.5625; sd (ddof 1) = √(0.546875 / 3) → se = sd / 2.
        #expect(abs(w.winRate - 56.25) < 1e-12)
        #expect(abs(w.standardError - 100 * (0.546875 / 3).squareRoot() / 2) < 1e-12)
        #expect(w.nWins == 2 && w.nWinsBase == 1 && w.nDraws == 1 && w.nTotal == 4 && w.nDropped == 1)
        #expect(abs(w.discreteWinRate - 62.5) < 1e-12)
        #expect(w.avgLength == 2)  // (2 + 4 + 1 + 1) / 4 code points
        #expect(throws: AlignEvalError.badJudgment(path: "judgments", index: 0, reason: "preference 3.0 is not in [1, 2] or 0")) {
            try AlpacaEvalWinRate(judgments: [try j(3, "a"), try j(1, "b")])
        }
    }
}
