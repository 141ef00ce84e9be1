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

extension RankedScoreTrainer: LoggedTrainer {}

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
    /// Settings from the config file, then `extra`, then the flags: TrainingArguments' keys, `max_length`, and the
    /// objective's numeric keys (`defaults`' names; AFT's threshold may be negative, the others must be ≥ 0).
    func rankedSettings(defaults: [String: Double], extra: [(String, ChatJSON)]) throws
        -> (TrainingConfig, maxLength: Int?, values: [String: Double]) {
        let own = Set(defaults.keys).union(["max_length"])
        let pairs = try (config.map { try TrainConfigFile.read($0, known: TrainConfigFile.trainingKeys.union(own)) } ?? [])
            + extra + flagPairs()
        var training = TrainingConfig(), maxLength: Int? = 1024, values = defaults
        for (key, v) in pairs {
            if try TrainConfigFile.applyTraining(key, v, to: &training) { continue }
            guard own.contains(key) else { throw AlignCLIError.unknownConfigKey(file: "flags", key: key) }
            if key == "max_length" { maxLength = try TrainConfigFile.maxLength(key, v); continue }
            let x = try TrainConfigFile.double(key, v)
            guard x.isFinite, key == "aft_threshold" || x >= 0 else {
                throw AlignCLIError.badConfigValue(key: key, value: "\(x)", expected: key == "aft_threshold" ? "a finite number" : "≥ 0")
            }
            values[key] = x
        }
        try training.validate()
        return (training, maxLength, values)
    }

    /// Tokenizes the ranked file (read by `load`), trains with `objective`, writes metrics.jsonl, checkpoints and the final model.
    func executeRanked(_ objective: RankedScoreObjective, training: TrainingConfig, maxLength: Int?,
                       load: (URL) throws -> [RankedExample] = RankedExample.load, say: (String) -> Void) throws {
        let template = try chatTemplate.map { path -> String in
            do { return try String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8) } catch {
                throw ValidationError("cannot read --chat-template \(path): \(error.localizedDescription)")
            }
        }
        let dir = URL(fileURLWithPath: model), file = URL(fileURLWithPath: dataset)
        let examples = try load(file)
        let tokenizer = try PreferenceTokenizer(directory: dir, chatTemplateSource: template)
        let data = try tokenizer.tokenizeRanked(examples, maxLength: maxLength)
        say("tokenized \(examples.count) lists of \(file.path): \(data.examples.count) kept, \(data.droppedByLength.count) dropped by max_length"
            + (data.droppedByLength.isEmpty ? "" : " (" + data.droppedByLength.prefix(10).map(\.description).joined(separator: ", ") + ")"))
        guard !data.examples.isEmpty else {
            throw AlignCLIError.noTrainableRows(file: file.path, dropped: examples.count, maxLength: maxLength ?? 0)
        }
        let policy = try DecoderModel.load(directory: dir)
        policy.setTrainable(true)  // full fine-tuning
        let trainer = try RankedScoreTrainer(model: policy, objective: objective, config: training, data: data.examples,
                                             padID: try TrainRunFiles.padID(tokenizer, modelDirectory: dir))
        let out = URL(fileURLWithPath: training.outputDir)
        try TrainLoggedRun.run(trainer, training: training, output: out, resumeFrom: resumeFromCheckpoint.map { URL(fileURLWithPath: $0) }, say: say)
        try TrainRunFiles.saveFinalModel(policy, from: dir, to: out, chatTemplateSource: template)
        say("saved the final model in \(out.path)")
    }
}
