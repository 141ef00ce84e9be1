// `align bench …`: side-by-side benchmarks in release builds (never part of `swift test`).
import ArgumentParser

/// Groups the benchmark subcommands.
public struct BenchCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks: AlignKit beside its peer, as ratios and fractions of the machine's limit.",
        subcommands: [
            BenchGemmCommand.self,
            BenchGenerateCommand.self,
            BenchGrammarCommand.self,
            BenchKernelsCommand.self,
            BenchModelCommand.self,
            BenchTokenizerCommand.self,
            BenchTrainCommand.self,
            BenchTrainCaseCommand.self,
        ])
    public init() {}
}
