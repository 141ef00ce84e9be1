// `align train pro` and `align train lipo`: listwise preference training on ranked data (TrainListwiseRun.swift).
import AlignTokenizers
import ArgumentParser

/// `align train pro --model DIR --dataset F [--config F] [--sft-weight W] …`.
public struct TrainPROCommand: ParsableCommand {
    /// Command name and help.
    public static let configuration = CommandConfiguration(
        commandName: "pro", abstract: "Train with PRO (Preference Ranking Optimization, Song et al. 2023) on ranked lists.")
    @OptionGroup var options: TrainListwiseOptions
    @Option(help: "Weight of the SFT term on the best completion (default 0.05).") var sftWeight: Double?
    /// Creates the command.
    public init() {}
    /// Runs training.
    public func run() throws { try options.run(pro: true, extra: sftWeight.map { [("sft_weight", ChatJSON.double($0))] } ?? []) }
}

/// `align train lipo --model DIR --dataset F [--config F] [--beta B] …`.
public struct TrainLiPOCommand: ParsableCommand {
    /// Command name and help.
    public static let configuration = CommandConfiguration(
        commandName: "lipo", abstract: "Train with LiPO-λ (Liu et al. 2024) on ranked lists.")
    @OptionGroup var options: TrainListwiseOptions
    @Option(help: "β (default 0.1).") var beta: Double?
    /// Creates the command.
    public init() {}
    /// Runs training.
    public func run() throws { try options.run(pro: false, extra: beta.map { [("beta", ChatJSON.double($0))] } ?? []) }
}
