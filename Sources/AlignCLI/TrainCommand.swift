// `align train`: the training command group. Each objective family is a subcommand configured by flags or
// a JSON/YAML file with TRL's snake_case keys (TrainConfigFile.swift): `dpo` (the DPO family, CPO/SimPO and ORPO
// through `objective`), `sft`, `reward`, `kto`, `bco` (unpaired) and `pro`, `lipo` (listwise); the TRL trainer
// names that are presets of `dpo` (orpo, cpo, simpo, ipo, asft) are aliases of it (TrainPairwiseAlias.swift);
// tpo, aft, copg, d2o and posft have trainers of their own (TPOTrainer, RankedScoreTrainer).
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
            TrainORPOCommand.self,
            TrainCPOCommand.self,
            TrainSimPOCommand.self,
            TrainIPOCommand.self,
            TrainASFTCommand.self,
            TrainTPOCommand.self,
            TrainAFTCommand.self,
            TrainCoPGCommand.self,
            TrainD2OCommand.self,
            TrainPOSFTCommand.self,
        ])

    /// Creates the command.
    public init() {}
}
