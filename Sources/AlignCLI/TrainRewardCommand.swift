// `align train reward`: train a reward model (a scalar head on a decoder, transformers'
// *ForSequenceClassification layout) on paired preferences, as TRL's RewardTrainer does. Flags use
// TRL's names in kebab case and override the --config file (JSON or YAML, TRL snake_case keys). The run
// itself (tokenize → RewardTrainer → metrics.jsonl, checkpoints, final model) is in TrainRewardRun.swift.
import AlignTokenizers
import ArgumentParser
import Foundation

/// `align train reward --model DIR --dataset F [--config F] [overrides…]`.
public struct TrainRewardCommand: ParsableCommand {
    /// Command name and help.
    public static let configuration = CommandConfiguration(
        commandName: "reward",
        abstract: "Train a reward model (TRL RewardTrainer semantics: Bradley–Terry loss on [chosen; rejected]).",
        discussion: "--model is a causal LM folder (a scalar head `score` is added, drawn from N(0, initializer_range²)) "
            + "or a *ForSequenceClassification folder. Writes output_dir/metrics.jsonl, checkpoint-N/ folders every "
            + "--save-steps, and the final model in transformers' SequenceClassification layout (or a PEFT adapter with "
            + "--use-peft).")

    @Option(help: "Model folder (config.json, model.safetensors, tokenizer.json, tokenizer_config.json).")
    var model: String
    @Option(name: [.customLong("dataset"), .customLong("data")], help: "Preference dataset, JSON or JSONL, in TRL's format (optional `margin` column).")
    var dataset: String
    @Option(help: "Config file (.json, else YAML) with TRL snake_case keys.")
    var config: String?
    @Option(help: "A chat template (Jinja file) for conversational data, instead of the model's.")
    var chatTemplate: String?
    @Option(help: "Output folder (TRL output_dir).") var outputDir: String?
    @Option(help: "Optimizer steps (TRL max_steps).") var maxSteps: Int?
    @Option(help: "Epochs when --max-steps is not given (TRL num_train_epochs, default 3).") var numTrainEpochs: Double?
    @Option(help: "Peak learning rate (default 1e-4, RewardConfig's).") var learningRate: Double?
    @Option(help: "Pairs per micro-batch.") var perDeviceTrainBatchSize: Int?
    @Option(help: "Micro-batches per optimizer step.") var gradientAccumulationSteps: Int?
    @Option(help: "Drop pairs with a side longer than this (TRL max_length, default 1024).") var maxLength: Int?
    @Option(help: "Weight of the reward-centering term mean((r_c + r_r)²).") var centerRewardsCoefficient: Double?
    @Option(help: "Seed of the data order and of a fresh head.") var seed: Int?
    @Option(help: "Checkpoint every N steps (0: none).") var saveSteps: Int?
    @Option(help: "Log (print) every N steps.") var loggingSteps: Int?
    @Option(help: "Resume from a checkpoint-N folder.") var resumeFromCheckpoint: String?
    @Flag(help: "Keep the data order sequential (shuffle: false).") var noShuffle = false
    @Flag(help: "Train LoRA adapters (+ the head) instead of every weight (TRL use_peft).") var usePeft = false
    @Option(help: "LoRA rank (default 16).") var loraR: Int?
    @Option(help: "LoRA alpha (default 32).") var loraAlpha: Double?

    /// Creates the command.
    public init() {}

    /// Flags as config pairs, in TRL's names; they are applied after the file's.
    func flagPairs() -> [(String, ChatJSON)] {
        var p: [(String, ChatJSON)] = []
        if let v = outputDir { p.append(("output_dir", .string(v))) }
        if let v = maxSteps { p.append(("max_steps", .int(v))) }
        if let v = numTrainEpochs { p.append(("num_train_epochs", .double(v))) }
        if let v = learningRate { p.append(("learning_rate", .double(v))) }
        if let v = perDeviceTrainBatchSize { p.append(("per_device_train_batch_size", .int(v))) }
        if let v = gradientAccumulationSteps { p.append(("gradient_accumulation_steps", .int(v))) }
        if let v = maxLength { p.append(("max_length", .int(v))) }
        if let v = centerRewardsCoefficient { p.append(("center_rewards_coefficient", .double(v))) }
        if let v = seed { p.append(("seed", .int(v))) }
        if let v = saveSteps { p.append(("save_steps", .int(v))) }
        if let v = loggingSteps { p.append(("logging_steps", .int(v))) }
        if noShuffle { p.append(("shuffle", .bool(false))) }
        if usePeft { p.append(("use_peft", .bool(true))) }
        if let v = loraR { p.append(("lora_r", .int(v))) }
        if let v = loraAlpha { p.append(("lora_alpha", .double(v))) }
        return p
    }

    /// Reads settings, runs training, prints progress and the summary.
    public func run() throws {
        let filePairs = try config.map(RewardRunSettings.read) ?? []
        let settings = try RewardRunSettings.settings(filePairs + flagPairs())
        let template = try chatTemplate.map { path -> String in
            do { return try String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8) } catch {
                throw ValidationError("cannot read --chat-template \(path): \(error.localizedDescription)")
            }
        }
        let run = TrainRewardRun(modelDirectory: URL(fileURLWithPath: model), dataFile: URL(fileURLWithPath: dataset),
                                 settings: settings, chatTemplateSource: template,
                                 resumeFrom: resumeFromCheckpoint.map { URL(fileURLWithPath: $0) })
        try run.execute { print($0) }
    }
}
