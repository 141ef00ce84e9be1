// TrainUnpairedOptions: the flags `align train kto` and `align train bco` share — TRL's names in kebab case,
// applied after the --config file's keys (flags win) — and the run they start (TrainUnpairedRun.swift).
import AlignTokenizers
import ArgumentParser
import Foundation

/// Options of an unpaired training command.
struct TrainUnpairedOptions: ParsableArguments {
    @Option(help: "Model folder (config.json, model.safetensors, tokenizer.json, tokenizer_config.json).")
    var model: String
    @Option(name: [.customLong("dataset"), .customLong("data")], help: "Unpaired dataset {prompt, completion, label}, JSON or JSONL.")
    var dataset: String
    @Option(help: "Config file (.json, else YAML) with TRL snake_case keys.")
    var config: String?
    @Option(help: "A chat template (Jinja file) for conversational data, instead of the model's.")
    var chatTemplate: String?
    @Option(help: "Output folder (TRL output_dir).") var outputDir: String?
    @Option(help: "Optimizer steps (TRL max_steps).") var maxSteps: Int?
    @Option(help: "Epochs when --max-steps is not given (TRL num_train_epochs, default 3).") var numTrainEpochs: Double?
    @Option(help: "Peak learning rate (default 1e-6, KTOConfig's).") var learningRate: Double?
    @Option(help: "β (default 0.1).") var beta: Double?
    @Option(help: "Rows per micro-batch.") var perDeviceTrainBatchSize: Int?
    @Option(help: "Micro-batches per optimizer step.") var gradientAccumulationSteps: Int?
    @Option(help: "Maximum tokens per sequence (TRL max_length, default 1024).") var maxLength: Int?
    @Option(help: "Seed.") var seed: Int?
    @Option(help: "Checkpoint every N steps (0: none).") var saveSteps: Int?
    @Option(help: "Log (print) every N steps.") var loggingSteps: Int?
    @Option(help: "Resume from a checkpoint-N folder.") var resumeFromCheckpoint: String?
    @OptionGroup var lora: LoRAOptions

    init() {}

    /// Flags as config pairs, in TRL's names.
    func flagPairs() -> [(String, ChatJSON)] {
        var p: [(String, ChatJSON)] = []
        if let v = outputDir { p.append(("output_dir", .string(v))) }
        if let v = maxSteps { p.append(("max_steps", .int(v))) }
        if let v = numTrainEpochs { p.append(("num_train_epochs", .double(v))) }
        if let v = learningRate { p.append(("learning_rate", .double(v))) }
        if let v = beta { p.append(("beta", .double(v))) }
        if let v = perDeviceTrainBatchSize { p.append(("per_device_train_batch_size", .int(v))) }
        if let v = gradientAccumulationSteps { p.append(("gradient_accumulation_steps", .int(v))) }
        if let v = maxLength { p.append(("max_length", .int(v))) }
        if let v = seed { p.append(("seed", .int(v))) }
        if let v = saveSteps { p.append(("save_steps", .int(v))) }
        if let v = loggingSteps { p.append(("logging_steps", .int(v))) }
        return p + lora.pairs()
    }

    /// Reads settings (file, then `extra` pairs, then flags), runs training, prints progress and the summary.
    func run(_ objective: UnpairedObjectiveName, extra: [(String, ChatJSON)] = []) throws {
        let filePairs = try config.map { try UnpairedRunSettings.read($0, objective: objective) } ?? []
        let settings = try UnpairedRunSettings.settings(filePairs + extra + flagPairs(), objective: objective)
        let template = try chatTemplate.map { path -> String in
            do { return try String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8) } catch {
                throw ValidationError("cannot read --chat-template \(path): \(error.localizedDescription)")
            }
        }
        let run = TrainUnpairedRun(modelDirectory: URL(fileURLWithPath: model), dataFile: URL(fileURLWithPath: dataset),
                                   settings: settings, chatTemplateSource: template,
                                   resumeFrom: resumeFromCheckpoint.map { URL(fileURLWithPath: $0) })
        try run.execute { print($0) }
    }
}
