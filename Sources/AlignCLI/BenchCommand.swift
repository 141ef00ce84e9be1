// `align bench …`: side-by-side benchmarks in release builds (never part of `swift test`).
import ArgumentParser

/// Groups the benchmark subcommands.
public struct BenchCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks: AlignKit beside its peer, as ratios and fractions of the machine's limit.",
        subcommands: [BenchGrammarCommand.self])
    public init() {}
}
