// `align train orpo|cpo|simpo|ipo|asft`: the pairwise aliases (TrainPairwiseAlias.swift). Each takes the whole
// option list of `align train dpo` through one @OptionGroup, so the options are declared once.
import ArgumentParser

/// `align train orpo …` = `align train dpo --objective orpo …`.
public struct TrainORPOCommand: ParsableCommand {
    /// Command name and help.
    public static let configuration = PairwiseAlias.orpo.configuration
    @OptionGroup var options: TrainDPOCommand
    /// Creates the command.
    public init() {}
    /// Runs `align train dpo` with the alias's presets.
    public func run() throws { try options.run(alias: .orpo) }
}

/// `align train cpo …` = `align train dpo --objective cpo …`.
public struct TrainCPOCommand: ParsableCommand {
    /// Command name and help.
    public static let configuration = PairwiseAlias.cpo.configuration
    @OptionGroup var options: TrainDPOCommand
    /// Creates the command.
    public init() {}
    /// Runs `align train dpo` with the alias's presets.
    public func run() throws { try options.run(alias: .cpo) }
}

/// `align train simpo …` = `align train dpo --objective cpo --loss-type simpo` with cpo_alpha 0.
public struct TrainSimPOCommand: ParsableCommand {
    /// Command name and help.
    public static let configuration = PairwiseAlias.simpo.configuration
    @OptionGroup var options: TrainDPOCommand
    /// Creates the command.
    public init() {}
    /// Runs `align train dpo` with the alias's presets.
    public func run() throws { try options.run(alias: .simpo) }
}

/// `align train ipo …` = `align train dpo --loss-type ipo …`.
public struct TrainIPOCommand: ParsableCommand {
    /// Command name and help.
    public static let configuration = PairwiseAlias.ipo.configuration
    @OptionGroup var options: TrainDPOCommand
    /// Creates the command.
    public init() {}
    /// Runs `align train dpo` with the alias's presets.
    public func run() throws { try options.run(alias: .ipo) }
}

/// `align train asft …` = `align train dpo --objective asft …`.
public struct TrainASFTCommand: ParsableCommand {
    /// Command name and help.
    public static let configuration = PairwiseAlias.asft.configuration
    @OptionGroup var options: TrainDPOCommand
    /// Creates the command.
    public init() {}
    /// Runs `align train dpo` with the alias's presets.
    public func run() throws { try options.run(alias: .asft) }
}
