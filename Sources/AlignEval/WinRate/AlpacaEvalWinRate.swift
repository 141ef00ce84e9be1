// AlpacaEvalWinRate: AlpacaEval's pairwise win-rate summary from judgment (annotation) files.
//
// Mirrors alpaca_eval 0.6.6 `metrics/winrate.py` (`pairwise_to_winrate`) and the leaderboard's `avg_length`:
// with preference p ∈ [1, 2] (2 = the model's output_2 preferred; 0 means a tie and becomes 1.5),
//   win_rate = 100 · mean(p − 1),   standard_error = 100 · sd(p − 1, ddof 1) / √n,
//   n_wins = #(p > 1.5), n_wins_base = #(p < 1.5), n_draws = #(p = 1.5),
//   discrete_win_rate = 100 · (n_wins + n_draws / 2) / n,   avg_length = ⌊mean code points of output_2⌋.
// Judgments with a null preference are not counted (alpaca_eval drops them too) and are reported as `nDropped`.
// The length-controlled win rate is left out: it needs alpaca_eval's instruction-difficulty and gamed-baseline
// tables from the Hugging Face hub.
import Foundation

/// One pairwise judgment of an AlpacaEval annotations file.
public struct AlpacaEvalJudgment: Decodable, Sendable {
    /// The instruction both outputs answer.
    public let instruction: String
    /// The baseline's output (`output_1`) and the model's (`output_2`).
    public let output1: String
    public let output2: String
    /// Names of the baseline and the model.
    public let generator1: String?
    public let generator2: String?
    /// The judge's preference in [1, 2] (0 = tie), or nil when the annotation failed.
    public let preference: Double?

    enum CodingKeys: String, CodingKey {
        case instruction, preference
        case output1 = "output_1", output2 = "output_2", generator1 = "generator_1", generator2 = "generator_2"
    }
}

/// The leaderboard columns AlpacaEval computes from one model's judgments.
public struct AlpacaEvalWinRate: Sendable, Equatable {
    /// 100 · mean(p − 1).
    public let winRate: Double
    /// Standard error of the win rate (sample sd / √n).
    public let standardError: Double
    /// Judgments preferring the model (p > 1.5).
    public let nWins: Int
    /// Judgments preferring the baseline (p < 1.5).
    public let nWinsBase: Int
    /// Ties (p = 1.5).
    public let nDraws: Int
    /// Judgments counted.
    public let nTotal: Int
    /// 100 · (wins + draws / 2) / n.
    public let discreteWinRate: Double
    /// Mean length of the model's outputs in code points, floored.
    public let avgLength: Int
    /// Judgments without a preference, not counted.
    public let nDropped: Int

    /// Summarizes judgments.
    /// - Throws: `AlignEvalError.badJudgment` for a preference outside [1, 2] other than 0, or when none is usable.
    public init(judgments: [AlpacaEvalJudgment], path: String = "judgments") throws {
        var prefs: [Double] = []
        var lengthSum = 0, dropped = 0
        for (i, j) in judgments.enumerated() {
            guard let p = j.preference else { dropped += 1; continue }
            guard p == 0 || (p >= 1 && p <= 2) else {
                throw AlignEvalError.badJudgment(path: path, index: i, reason: "preference \(p) is not in [1, 2] or 0")
            }
            prefs.append(p == 0 ? 1.5 : p)
            lengthSum += j.output2.unicodeScalars.count
        }
        guard prefs.count >= 2 else {
            throw AlignEvalError.badJudgment(path: path, index: 0, reason: "need at least 2 judgments with a preference")
        }
        let n = Double(prefs.count)
        let mean = prefs.reduce(0) { $0 + ($1 - 1) } / n
        let variance = prefs.reduce(0) { $0 + ($1 - 1 - mean) * ($1 - 1 - mean) } / (n - 1)  // ddof = 1, as pandas .sem()
        nWins = prefs.filter { $0 > 1.5 }.count
        nWinsBase = prefs.filter { $0 < 1.5 }.count
        nDraws = prefs.filter { $0 == 1.5 }.count
        nTotal = prefs.count
        winRate = 100 * mean
        standardError = 100 * variance.squareRoot() / n.squareRoot()
        discreteWinRate = 100 * (Double(nWins) + Double(nDraws) / 2) / n
        // The leaderboard's avg_length is over the model's outputs; here those are the judged ones.
        avgLength = lengthSum / prefs.count
        nDropped = dropped
    }

    /// Reads an AlpacaEval `annotations.json` (a JSON array of judgments).
    public static func readAnnotations(_ url: URL) throws -> [AlpacaEvalJudgment] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw AlignEvalError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        do { return try JSONDecoder().decode([AlpacaEvalJudgment].self, from: data) } catch {
            throw AlignEvalError.malformedLine(path: url.path, line: 1, reason: "not an AlpacaEval annotations array: \(error)")
        }
    }
}
