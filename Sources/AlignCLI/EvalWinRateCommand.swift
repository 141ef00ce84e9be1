// `align eval winrate`: AlpacaEval-style win rate of a model against the baseline from a judgments file.
import AlignEval
import ArgumentParser
import Foundation

/// `align eval winrate --annotations annotations.json [--json]`.
public struct EvalWinRateCommand: ParsableCommand {
    /// Command name, help and discussion.
    public static let configuration = CommandConfiguration(
        commandName: "winrate",
        abstract: "AlpacaEval win rate, standard error, wins/losses/draws and average length from judgments.",
        discussion: "--annotations is an AlpacaEval annotations.json: output_1 = baseline, output_2 = model, "
            + "preference in [1, 2] (2 = model preferred, 0 = tie).")

    @Option(name: .long, help: "AlpacaEval annotations.json file.")
    var annotations: String

    @Flag(name: .long, help: "Print one JSON object with AlpacaEval's leaderboard column names.")
    var json = false

    /// Creates the command (argument-parser fills the options).
    public init() {}

    /// Reads the judgments and prints the summary.
    public func run() throws {
        let url = URL(fileURLWithPath: annotations)
        let w = try AlpacaEvalWinRate(judgments: try AlpacaEvalWinRate.readAnnotations(url), path: url.path)
        if json {
            print("{\"win_rate\": \(w.winRate), \"standard_error\": \(w.standardError), \"n_wins\": \(w.nWins), "
                + "\"n_wins_base\": \(w.nWinsBase), \"n_draws\": \(w.nDraws), \"n_total\": \(w.nTotal), "
                + "\"discrete_win_rate\": \(w.discreteWinRate), \"avg_length\": \(w.avgLength)}")
            return
        }
        print(String(format: "win rate %.4f ± %.4f (discrete %.4f)", w.winRate, w.standardError, w.discreteWinRate))
        print("wins \(w.nWins), baseline wins \(w.nWinsBase), draws \(w.nDraws), total \(w.nTotal)"
            + (w.nDropped > 0 ? ", \(w.nDropped) judgments without preference not counted" : ""))
        print("average length of the model's outputs: \(w.avgLength) characters")
    }
}
