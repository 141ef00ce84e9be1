// TrainPairwiseAlias: the TRL trainer names that are presets of `align train dpo` — `orpo`, `cpo`, `simpo`,
// `ipo`, `asft` — each an objective plus the defaults TRL documents for it (trl 1.16 docs: SimPO is CPOTrainer
// with `loss_type="simpo"` and `cpo_alpha=0`; IPO is DPOTrainer with `loss_type="ipo"`). The preset pairs come
// first, so the config file and the flags still override every other key; an explicit `objective` or
// `loss_type` that contradicts the alias is an error naming both, never a silent switch of the method.
import AlignTokenizers
import ArgumentParser

/// A subcommand that is `align train dpo` with a fixed objective (and loss type, and defaults).
struct PairwiseAlias {
    /// The subcommand name.
    let name: String
    let objective: PairwiseObjectiveName
    /// The loss type the alias fixes, if any.
    let lossType: String?
    /// Further defaults (overridable), in TRL's key names.
    let defaults: [(String, ChatJSON)]
    /// One line of help: what the alias expands to.
    let abstract: String

    static let orpo = PairwiseAlias(name: "orpo", objective: .orpo, lossType: nil, defaults: [],
                                    abstract: "ORPO (Hong et al. 2024): `align train dpo --objective orpo` (TRL ORPOTrainer).")
    static let cpo = PairwiseAlias(name: "cpo", objective: .cpo, lossType: nil, defaults: [],
                                   abstract: "CPO (Xu et al. 2024): `align train dpo --objective cpo` (TRL CPOTrainer).")
    static let simpo = PairwiseAlias(
        name: "simpo", objective: .cpo, lossType: "simpo", defaults: [("cpo_alpha", .int(0))],
        abstract: "SimPO (Meng et al. 2024): `align train dpo --objective cpo --loss-type simpo` with cpo_alpha 0 (TRL's recipe).")
    static let ipo = PairwiseAlias(name: "ipo", objective: .dpo, lossType: "ipo", defaults: [],
                                   abstract: "IPO (Azar et al. 2023): `align train dpo --loss-type ipo`.")
    static let asft = PairwiseAlias(
        name: "asft", objective: .asft, lossType: nil, defaults: [],
        abstract: "ASFT (Wang et al. 2024): `align train dpo --objective asft` (key asft_lambda). UNVERIFIED reconstruction of the loss.")

    /// The command configuration of the alias subcommand.
    var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: name, abstract: abstract,
            discussion: "Takes every option of `align train dpo`; --objective\(lossType == nil ? "" : " and --loss-type") may only "
                + "repeat what the alias implies (objective \(objective.rawValue)\(lossType.map { ", loss_type \($0)" } ?? "")). "
                + "Defaults: " + (defaults.isEmpty ? "TRL's." : defaults.map { "\($0.0) \(TrainConfigFile.foundation($0.1))" }.joined(separator: ", ") + ", else TRL's."))
    }

    /// The run's pairs: the alias's objective, loss type and defaults, then the file's, then the flags'.
    /// Throws when the file or the flags set `objective` or `loss_type` to something else.
    func pairs(file: [(String, ChatJSON)], flags: [(String, ChatJSON)]) throws -> [(String, ChatJSON)] {
        for (key, value) in file + flags {
            if key == "objective", value != .string(objective.rawValue) {
                throw conflict(key: key, value: value, implied: objective.rawValue)
            }
            if key == "loss_type", let lossType, value != .string(lossType), value != .array([.string(lossType)]) {
                throw conflict(key: key, value: value, implied: lossType)
            }
        }
        var preset: [(String, ChatJSON)] = [("objective", .string(objective.rawValue))]
        if let lossType { preset.append(("loss_type", .string(lossType))) }
        return preset + defaults + file + flags
    }

    func conflict(key: String, value: ChatJSON, implied: String) -> AlignCLIError {
        .badConfigValue(key: key, value: "\(TrainConfigFile.foundation(value))",
                        expected: "\(implied), which `align train \(name)` implies (use `align train dpo` for another \(key))")
    }
}
