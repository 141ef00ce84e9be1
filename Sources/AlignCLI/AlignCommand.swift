// AlignCommand: the root of the `align` CLI. Subcommands parse, call library code and print.
import ArgumentParser

/// `align` — align language models with human preferences and constraints.
public struct AlignCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "align",
        abstract: "Align language models with human preferences and constraints, on the CPU.",
        subcommands: [
            ACTCommand.self,
            BenchCommand.self,
            DecodeCommand.self,
            DemoCommand.self,
            DiagnoseCommand.self,
            EvalCommand.self,
            GenerateCommand.self,
            GrammarCommand.self,
            MergeCommand.self,
            SteerCommand.self,
            TokenizeCommand.self,
            TrainCommand.self,
        ],
        defaultSubcommand: DemoCommand.self)

    public init() {}
}
