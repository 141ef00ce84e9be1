// `align train sft`: supervised fine-tuning of a model folder (or a model initialized from its config.json)
// on a TRL-format SFT dataset — {text}, {prompt, completion} or {messages}. Flags use TRL's names in kebab
// case and override the --config file (JSON or YAML, SFTConfig's snake_case keys). The run itself is in
// TrainSFTRun.swift.
import AlignTokenizers
import ArgumentParser
import Foundation

/// `align train sft --model DIR --dataset F [--config F] [--init-from-scratch --seed N] [overrides…]`.
public struct TrainSFTCommand: ParsableCommand {
    /// Command name and help.
    public static let configuration = CommandConfiguration(
        commandName: "sft",
        abstract: "Supervised fine-tuning (TRL SFTTrainer semantics).",
        discussion: "Writes output_dir/metrics.jsonl (one JSON object per optimizer step), checkpoint-N/ folders "
            + "every --save-steps, and the final model (model.safetensors, config.json, tokenizer files). "
            + "With --init-from-scratch the weights are drawn from config.json's initializer_range with --seed "
            + "instead of read from the folder.")

    @Option(help: "Model folder (config.json, tokenizer.json, tokenizer_config.json; model.safetensors unless --init-from-scratch).")
    var model: String
    @Option(name: [.customLong("dataset"), .customLong("data")], help: "SFT dataset, JSON or JSONL, in TRL's format.")
    var dataset: String
    @Option(help: "Config file (.json, else YAML) with TRL snake_case keys.")
    var config: String?
    @Option(help: "A chat template (Jinja file) for conversational data, instead of the model's.")
    var chatTemplate: String?
    @Flag(help: "Start from random weights (transformers' init, config.json's initializer_range) drawn with --seed.")
    var initFromScratch = false
    @Option(help: "Output folder (TRL output_dir).") var outputDir: String?
    @Option(help: "Optimizer steps (TRL max_steps).") var maxSteps: Int?
    @Option(help: "Epochs when --max-steps is not given (TRL num_train_epochs, default 3).") var numTrainEpochs: Double?
    @Option(help: "Peak learning rate (SFT default 2e-5).") var learningRate: Double?
    @Option(help: "Examples per micro-batch.") var perDeviceTrainBatchSize: Int?
    @Option(help: "Micro-batches per optimizer step.") var gradientAccumulationSteps: Int?
    @Option(help: "linear, cosine, constant or constant_with_warmup.") var lrSchedulerType: String?
    @Option(help: "Warmup steps.") var warmupSteps: Int?
    @Option(help: "Maximum tokens per sequence (TRL max_length; the packed length with --packing).") var maxLength: Int?
    @Option(help: "keep_start or keep_end.") var truncationMode: String?
    @Option(help: "Loss on completions only: true or false (default: true for prompt-completion data).")
    var completionOnlyLoss: Bool?
    @Flag(help: "Pack sequences into max_length examples (TRL packing).") var packing = false
    @Option(help: "bfd, bfd_split or wrapped.") var packingStrategy: String?
    @Option(help: "Seed of the data order (and of the weights with --init-from-scratch).") var seed: Int?
    @Option(help: "Checkpoint every N steps (0: none).") var saveSteps: Int?
    @Option(help: "Log (print) every N steps.") var loggingSteps: Int?
    @Option(help: "Resume from a checkpoint-N folder.") var resumeFromCheckpoint: String?
    @Flag(help: "Keep the data order sequential (shuffle: false).") var noShuffle = false
    @OptionGroup var lora: LoRAOptions

    /// Creates the command.
    public init() {}

    /// Flags as config pairs, in TRL's names; they are applied after the file's.
    func flagPairs() -> [(String, ChatJSON)] {
        var p: [(String, ChatJSON)] = []
        func add(_ k: String, _ v: ChatJSON?) { if let v { p.append((k, v)) } }
        add("output_dir", outputDir.map { .string($0) })
        add("max_steps", maxSteps.map { .int($0) })
        add("num_train_epochs", numTrainEpochs.map { .double($0) })
        add("learning_rate", learningRate.map { .double($0) })
        add("per_device_train_batch_size", perDeviceTrainBatchSize.map { .int($0) })
        add("gradient_accumulation_steps", gradientAccumulationSteps.map { .int($0) })
        add("lr_scheduler_type", lrSchedulerType.map { .string($0) })
        add("warmup_steps", warmupSteps.map { .int($0) })
        add("max_length", maxLength.map { .int($0) })
        add("truncation_mode", truncationMode.map { .string($0) })
        add("completion_only_loss", completionOnlyLoss.map { .bool($0) })
        add("packing", packing ? .bool(true) : nil)
        add("packing_strategy", packingStrategy.map { .string($0) })
        add("seed", seed.map { .int($0) })
        add("save_steps", saveSteps.map { .int($0) })
        add("logging_steps", loggingSteps.map { .int($0) })
        add("shuffle", noShuffle ? .bool(false) : nil)
        return p + lora.pairs()
    }

    /// Reads settings, runs training, prints progress and the summary.
    public func run() throws {
        let filePairs = try config.map { try TrainConfigFile.read($0, known: SFTRunSettings.knownKeys) } ?? []
        let settings = try SFTRunSettings.from(filePairs + flagPairs())
        let template = try chatTemplate.map { path -> String in
            do { return try String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8) } catch {
                throw ValidationError("cannot read --chat-template \(path): \(error.localizedDescription)")
            }
        }
        let run = TrainSFTRun(modelDirectory: URL(fileURLWithPath: model), dataFile: URL(fileURLWithPath: dataset),
                              settings: settings, chatTemplateSource: template, initFromScratch: initFromScratch,
                              resumeFrom: resumeFromCheckpoint.map { URL(fileURLWithPath: $0) })
        try run.execute { print($0) }
    }
}
