// `align eval …`: evaluation commands (IFEval today). Each parses arguments, calls AlignEval and prints.
import ArgumentParser

/// Groups the evaluation subcommands.
public struct EvalCommand: ParsableCommand {
    /// The `eval` group and its subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Evaluate responses: instruction following (IFEval), win rates, …",
        subcommands: [EvalIFEvalCommand.self, EvalWinRateCommand.self, EvalConstraintsCommand.self, EvalPrefsCommand.self, EvalKLCommand.self, EvalDiversityCommand.self, EvalRewardWinRateCommand.self])
    /// Creates the command group.
    public init() {}
}
