// `align eval rm-winrate`: reward-model win rate of policy outputs against reference outputs, hard (ties ½)
// and soft (mean σ(r_policy − r_ref)), from per-prompt scores.
import AlignEval
import ArgumentParser
import Foundation

/// `align eval rm-winrate --scores F.jsonl [--json]`.
public struct EvalRewardWinRateCommand: ParsableCommand {
    /// Command name, help and discussion.
    public static let configuration = CommandConfiguration(
        commandName: "rm-winrate",
        abstract: "Reward-model win rate (hard and soft) of policy outputs vs reference outputs.",
        discussion: "--scores is JSONL of {\"policy_score\", \"reference_score\"}, one line per prompt. Win rates are fractions in [0, 1].")

    @Option(name: .long, help: "Scores JSONL {\"policy_score\", \"reference_score\"}.")
    var scores: String

    @Flag(name: .long, help: "Print one JSON object.")
    var json = false

    /// Creates the command (argument-parser fills the options).
    public init() {}

    /// Evaluates and prints.
    public func run() throws { print(try output()) }

    /// The report text (a table, or one JSON line).
    public func output() throws -> String {
        let s = try MetricInputs.scorePairs(URL(fileURLWithPath: scores), keys: ("policy_score", "reference_score"))
        let w = try RewardWinRate(policyScores: s.first, referenceScores: s.second)
        if json {
            return try EvalMetricsFormat.jsonLine([
                "n": w.count, "wins": w.wins, "losses": w.losses, "ties": w.ties, "win_rate": w.hard,
                "standard_error": w.hardStandardError, "soft_win_rate": w.soft, "soft_standard_error": w.softStandardError,
            ])
        }
        return [
            "\(w.count) prompts: policy wins \(w.wins), loses \(w.losses), ties \(w.ties) (a tie counts ½)",
            EvalMetricsFormat.header("", ["win rate", "std err"]),
            EvalMetricsFormat.row("hard", [w.hard, w.hardStandardError]),
            EvalMetricsFormat.row("soft", [w.soft, w.softStandardError]),
        ].joined(separator: "\n")
    }
}
