// `align train aft`, `align train copg` and `align train d2o`: AFT's constraint alignment loss and CoPG on the ranked
// data of `align train pro|lipo` ({prompt, completions, scores | ranks}), and D2O on negatives-only rows
// {prompt, rejected, samples} (AlignData.D2OExample), all trained by RankedScoreTrainer. Options are
// TrainListwiseOptions' (declared once); keys: TrainingArguments', `max_length` (1024) and per objective
// AFT `aft_threshold` (default 0: a completion scored above it is a positive) and `aft_margin` (1, the boundary
// below the lowest positive score), CoPG `beta` (0.1), or D2O `beta` and `alpha` (0.1 each). All three losses are
// UNVERIFIED reconstructions (see the help text and training-objectives.md §9, §12–13); none exists in TRL.
import AlignData
import AlignModels
import AlignTokenizers
import AlignTraining
import ArgumentParser
import Foundation

/// `align train aft --model DIR --dataset F [--aft-threshold T] [--aft-margin M] …`.
public struct TrainAFTCommand: ParsableCommand {
    /// Command name and help.
    public static let configuration = CommandConfiguration(
        commandName: "aft",
        abstract: "Train with AFT's constraint alignment loss (Wang et al. 2023) on scored lists.",
        discussion: "Positives: completions scored above aft_threshold (default 0); the rest are negatives. UNVERIFIED: the "
            + "loss is the methods document's reconstruction from the abstract (boundary = lowest positive score − aft_margin).")
    @OptionGroup var options: TrainListwiseOptions
    @Option(help: "Scores above this mark positives (default 0).") var aftThreshold: Double?
    @Option(help: "Margin of the boundary below the lowest positive score (default 1).") var aftMargin: Double?
    /// Creates the command.
    public init() {}
    /// Runs training.
    public func run() throws {
        var extra: [(String, ChatJSON)] = []
        if let v = aftThreshold { extra.append(("aft_threshold", .double(v))) }
        if let v = aftMargin { extra.append(("aft_margin", .double(v))) }
        let (training, maxLength, values) = try options.rankedSettings(defaults: ["aft_threshold": 0, "aft_margin": 1], extra: extra)
        let objective = RankedScoreObjective.aft(AFTLoss(margin: values["aft_margin"] ?? 1), threshold: values["aft_threshold"] ?? 0)
        try options.executeRanked(objective, training: training, maxLength: maxLength) { print($0) }
    }
}

/// `align train copg --model DIR --dataset F [--beta B] …`.
public struct TrainCoPGCommand: ParsableCommand {
    /// Command name and help.
    public static let configuration = CommandConfiguration(
        commandName: "copg",
        abstract: "Train with CoPG (Contrastive Policy Gradient, Flet-Berliac et al. 2024) on scored lists.",
        discussion: "Every pair of a list's completions is a (y, y′) pair with the scores as rewards; the reference is the "
            + "initial policy. UNVERIFIED: the loss's constant factors (ℓ = (R̃ − R̃′)², R̃ = R − β·log π/π_ref).")
    @OptionGroup var options: TrainListwiseOptions
    @Option(help: "β, the KL strength (default 0.1).") var beta: Double?
    /// Creates the command.
    public init() {}
    /// Runs training.
    public func run() throws {
        let (training, maxLength, values) = try options.rankedSettings(defaults: ["beta": 0.1],
                                                                       extra: beta.map { [("beta", ChatJSON.double($0))] } ?? [])
        try options.executeRanked(.copg(CoPGLoss(beta: values["beta"] ?? 0.1)), training: training, maxLength: maxLength) { print($0) }
    }
}

/// `align train d2o --model DIR --dataset F [--beta B] [--alpha A] …`.
public struct TrainD2OCommand: ParsableCommand {
    /// Command name and help.
    public static let configuration = CommandConfiguration(
        commandName: "d2o",
        abstract: "Train with D2O (Duan et al. 2024) on negatives-only rows {prompt, rejected, samples}.",
        discussion: "`samples`: K responses the initial model generated (same K in every row); the reference is the initial "
            + "policy. UNVERIFIED: the loss follows a third-party reimplementation, not the paper "
            + "(L = −log σ((β/K)·Σ ρ(samples) − α·ρ(rejected))); its online reference refresh is not implemented.")
    @OptionGroup var options: TrainListwiseOptions
    @Option(help: "β, the weight of the samples' log-ratios (default 0.1).") var beta: Double?
    @Option(help: "α, the weight of the negative's log-ratio (default 0.1).") var alpha: Double?
    /// Creates the command.
    public init() {}
    /// Runs training.
    public func run() throws {
        var extra: [(String, ChatJSON)] = []
        if let v = beta { extra.append(("beta", .double(v))) }
        if let v = alpha { extra.append(("alpha", .double(v))) }
        let (training, maxLength, values) = try options.rankedSettings(defaults: ["beta": 0.1, "alpha": 0.1], extra: extra)
        let loss = D2OLoss(beta: values["beta"] ?? 0.1, alpha: values["alpha"] ?? 0.1)
        try options.executeRanked(.d2o(loss), training: training, maxLength: maxLength, load: D2OExample.load) { print($0) }
    }
}

extension TrainListwiseOptions {
    /// Tokenizes the ranked file (read by `load`), trains with `objective`, writes metrics.jsonl, checkpoints and the final model.
    func executeRanked(_ objective: RankedScoreObjective, training: TrainingConfig, maxLength: Int?,
                       load: (URL) throws -> [RankedExample] = RankedExample.load, say: (String) -> Void) throws {
        try trainRanked(training: training, maxLength: maxLength, template: try chatTemplateSource(), load: load, say: say) {
            try RankedScoreTrainer(model: $0, objective: objective, config: training, data: $1, padID: $2)
        }
    }
}
