// `align train`: the training command group. Each objective family is a subcommand configured by flags or
// a JSON/YAML file with TRL's snake_case keys (TrainConfigFile.swift): `dpo` (the DPO family, CPO/SimPO and ORPO
// through `objective`), `sft`, `reward`, `kto`, `bco` (unpaired) and `pro`, `lipo` (listwise).
import ArgumentParser

/// `align train <objective> …`.
public struct TrainCommand: ParsableCommand {
    /// Command name, help and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Align a model with preference data (TRL-compatible configuration).",
        subcommands: [
            TrainDPOCommand.self,
            TrainSFTCommand.self,
            TrainRewardCommand.self,
            TrainKTOCommand.self,
            TrainBCOCommand.self,
            TrainPROCommand.self,
            TrainLiPOCommand.self,
        ])

    /// Creates the command.
    public init() {}
}
