// `align train dpo`: DPO-family preference training of a model folder on a TRL-format dataset. Flags use
// TRL's names in kebab case and override the --config file (JSON or YAML, TRL snake_case keys). The run
// itself (tokenize → DPOTrainer → metrics.jsonl, checkpoints, final model) is in TrainDPORun.swift.
import AlignTokenizers
import ArgumentParser
import Foundation

/// `align train dpo --model DIR --data F [--config F] [overrides…]`.
public struct TrainDPOCommand: ParsableCommand {
    /// Command name and help.
    public static let configuration = CommandConfiguration(
        commandName: "dpo",
        abstract: "Train with a pairwise loss: the DPO family, CPO/SimPO or ORPO (TRL trainer semantics).",
        discussion: "Writes output_dir/metrics.jsonl (one JSON object per optimizer step), checkpoint-N/ folders "
            + "every --save-steps, and the final model (model.safetensors, config.json, tokenizer files).")

    @Option(help: "Model folder (config.json, model.safetensors, tokenizer.json, tokenizer_config.json).")
    var model: String
    @Option(help: "Preference dataset, JSON or JSONL, in TRL's format.")
    var data: String
    @Option(help: "Config file (.json, else YAML) with TRL snake_case keys.")
    var config: String?
    @Option(help: "A chat template (Jinja file) for conversational data, instead of the model's.")
    var chatTemplate: String?
    @Option(help: "Output folder (TRL output_dir).") var outputDir: String?
    @Option(help: "Optimizer steps (TRL max_steps).") var maxSteps: Int?
    @Option(help: "Epochs when --max-steps is not given (TRL num_train_epochs, default 3).") var numTrainEpochs: Double?
    @Option(help: "Peak learning rate.") var learningRate: Double?
    @Option(help: "DPO β.") var beta: Double?
    @Option(help: "Objective: dpo (default), cpo (CPO/SimPO) or orpo.") var objective: String?
    @Option(help: "Loss type (dpo: sigmoid, ipo, hinge, robust, …; cpo: sigmoid, hinge, ipo, simpo).") var lossType: String?
    @Option(help: "Pairs per micro-batch.") var perDeviceTrainBatchSize: Int?
    @Option(help: "Maximum tokens per sequence (TRL max_length).") var maxLength: Int?
    @Option(help: "keep_start or keep_end.") var truncationMode: String?
    @Option(help: "Seed of the data order.") var seed: Int?
    @Option(help: "Checkpoint every N steps (0: none).") var saveSteps: Int?
    @Option(help: "Log (print) every N steps.") var loggingSteps: Int?
    @Option(help: "Resume from a checkpoint-N folder.") var resumeFromCheckpoint: String?
    @Flag(help: "Keep the data order sequential (shuffle: false).") var noShuffle = false
    @OptionGroup var lora: LoRAOptions
    @Flag(help: "TR-DPO: mix the policy into the reference every --ref-model-sync-steps (TRL sync_ref_model).")
    var syncRefModel = false
    @Option(help: "TR-DPO α: the policy's share of the new reference (default 0.6).") var refModelMixupAlpha: Double?
    @Option(help: "TR-DPO τ: optimizer steps between reference syncs (default 512).") var refModelSyncSteps: Int?

    /// Creates the command.
    public init() {}

    /// Flags as config pairs, in TRL's names; they are applied after the file's.
    func flagPairs() -> [(String, ChatJSON)] {
        var p: [(String, ChatJSON)] = []
        if let v = outputDir { p.append(("output_dir", .string(v))) }
        if let v = maxSteps { p.append(("max_steps", .int(v))) }
        if let v = numTrainEpochs { p.append(("num_train_epochs", .double(v))) }
        if let v = learningRate { p.append(("learning_rate", .double(v))) }
        if let v = beta { p.append(("beta", .double(v))) }
        if let v = objective { p.append(("objective", .string(v))) }
        if let v = lossType { p.append(("loss_type", .string(v))) }
        if let v = perDeviceTrainBatchSize { p.append(("per_device_train_batch_size", .int(v))) }
        if let v = maxLength { p.append(("max_length", .int(v))) }
        if let v = truncationMode { p.append(("truncation_mode", .string(v))) }
        if let v = seed { p.append(("seed", .int(v))) }
        if let v = saveSteps { p.append(("save_steps", .int(v))) }
        if let v = loggingSteps { p.append(("logging_steps", .int(v))) }
        if noShuffle { p.append(("shuffle", .bool(false))) }
        p += lora.pairs()
        if syncRefModel { p.append(("sync_ref_model", .bool(true))) }
        if let v = refModelMixupAlpha { p.append(("ref_model_mixup_alpha", .double(v))) }
        if let v = refModelSyncSteps { p.append(("ref_model_sync_steps", .int(v))) }
        return p
    }

    /// Reads settings, runs training, prints progress and the summary.
    public func run() throws { try run(alias: nil) }

    /// The run, with the presets of an alias subcommand (`align train simpo`, TrainPairwiseAlias.swift) or none.
    func run(alias: PairwiseAlias?) throws {
        let filePairs = try config.map(TrainConfigFile.read) ?? []
        let pairs = try alias.map { try $0.pairs(file: filePairs, flags: flagPairs()) } ?? filePairs + flagPairs()
        let settings = try TrainConfigFile.settings(pairs)
        let template = try chatTemplate.map { path -> String in
            do { return try String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8) } catch {
                throw ValidationError("cannot read --chat-template \(path): \(error.localizedDescription)")
            }
        }
        let run = TrainDPORun(modelDirectory: URL(fileURLWithPath: model), dataFile: URL(fileURLWithPath: data),
                              settings: settings, chatTemplateSource: template,
                              resumeFrom: resumeFromCheckpoint.map { URL(fileURLWithPath: $0) })
        try run.execute { print($0) }
    }
}
