// TrainListwiseRun: `align train pro|lipo` — ranked data `{prompt, completions, scores | ranks}` (AlignData.
// RankedExample), tokenized as the unpaired trainers tokenize each prompt + completion, trained by
// ListwiseTrainer with metrics.jsonl and checkpoints (TrainLoggedRun), the final model saved in output_dir. The
// settings reader and the ranked run (`trainRanked`) serve `align train aft|copg|d2o|posft` too.
// Keys: TrainingArguments' (shared with `train dpo`), `max_length` (1024), and per objective `sft_weight`
// (PRO, default 0.05 as the PRO HH script) or `beta` (LiPO, default 0.1). TRL has no listwise trainer; the
// defaults of the loop are TrainingConfig's (learning_rate 1e-6, shuffled order unless `shuffle: false`).
import AlignData
import AlignModels
import AlignTokenizers
import AlignTraining
import ArgumentParser
import Foundation

/// Options shared by `align train pro` and `align train lipo`.
struct TrainListwiseOptions: ParsableArguments {
    @Option(help: "Model folder (config.json, model.safetensors, tokenizer.json, tokenizer_config.json).")
    var model: String
    @Option(name: [.customLong("dataset"), .customLong("data")], help: "Ranked dataset {prompt, completions, scores|ranks}, JSON or JSONL.")
    var dataset: String
    @Option(help: "Config file (.json, else YAML) with TRL-style snake_case keys.") var config: String?
    @Option(help: "A chat template (Jinja file) for conversational data, instead of the model's.") var chatTemplate: String?
    @Option(help: "Output folder.") var outputDir: String?
    @Option(help: "Optimizer steps.") var maxSteps: Int?
    @Option(help: "Epochs when --max-steps is not given (TRL num_train_epochs, default 3).") var numTrainEpochs: Double?
    @Option(help: "Peak learning rate (default 1e-6).") var learningRate: Double?
    @Option(help: "Lists per micro-batch.") var perDeviceTrainBatchSize: Int?
    @Option(help: "Maximum tokens per sequence (default 1024).") var maxLength: Int?
    @Option(help: "Checkpoint every N steps (0: none).") var saveSteps: Int?
    @Option(help: "Resume from a checkpoint-N folder.") var resumeFromCheckpoint: String?
    @Flag(help: "Keep the data order sequential (shuffle: false).") var noShuffle = false

    init() {}

    func flagPairs() -> [(String, ChatJSON)] {
        var p: [(String, ChatJSON)] = []
        if let v = outputDir { p.append(("output_dir", .string(v))) }
        if let v = maxSteps { p.append(("max_steps", .int(v))) }
        if let v = numTrainEpochs { p.append(("num_train_epochs", .double(v))) }
        if let v = learningRate { p.append(("learning_rate", .double(v))) }
        if let v = perDeviceTrainBatchSize { p.append(("per_device_train_batch_size", .int(v))) }
        if let v = maxLength { p.append(("max_length", .int(v))) }
        if let v = saveSteps { p.append(("save_steps", .int(v))) }
        if noShuffle { p.append(("shuffle", .bool(false))) }
        return p
    }

    /// Reads the settings (file, then `extra`, then flags), trains, prints progress and the summary.
    func run(pro: Bool, extra: [(String, ChatJSON)]) throws {
        let key = pro ? "sft_weight" : "beta", fallback = pro ? 0.05 : 0.1
        let (training, maxLength, values) = try rankedSettings(defaults: [key: fallback], extra: extra)
        let weight = values[key] ?? fallback
        let objective: ListwiseObjective = pro ? .pro(PROLoss(sftWeight: weight)) : .lipo(LiPOLoss(beta: weight))
        let template = try chatTemplateSource()
        try trainRanked(training: training, maxLength: maxLength, template: template, say: { print($0) }) { policy, rows, padID in
            try ListwiseTrainer(model: policy, objective: objective, config: training, data: rows, padID: padID)
        }
    }

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

    /// The text of the --chat-template file, if one is given.
    func chatTemplateSource() throws -> String? {
        try chatTemplate.map { path -> String in
            do { return try String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8) } catch {
                throw ValidationError("cannot read --chat-template \(path): \(error.localizedDescription)")
            }
        }
    }

    /// Tokenizes the ranked file (read by `load`), then trains the trainer `makeTrainer` builds on the policy, the
    /// kept rows and the pad id (TrainLoggedRun.fullFineTuning: metrics.jsonl, checkpoints, the final model).
    func trainRanked<Trainer: LoopDriven>(
        training: TrainingConfig, maxLength: Int?, template: String?, load: (URL) throws -> [RankedExample] = RankedExample.load,
        say: (String) -> Void, trainer makeTrainer: (_ policy: DecoderModel, _ rows: [TokenizedRanked], _ padID: Int32) throws -> Trainer
    ) throws {
        let dir = URL(fileURLWithPath: model), file = URL(fileURLWithPath: dataset)
        let examples = try load(file)
        let tokenizer = try PreferenceTokenizer(directory: dir, chatTemplateSource: template)
        let data = try tokenizer.tokenizeRanked(examples, maxLength: maxLength)
        say("tokenized \(examples.count) lists of \(file.path): \(data.examples.count) kept, \(data.droppedByLength.count) dropped by max_length"
            + (data.droppedByLength.isEmpty ? "" : " (" + data.droppedByLength.prefix(10).map(\.description).joined(separator: ", ") + ")"))
        guard !data.examples.isEmpty else {
            throw AlignCLIError.noTrainableRows(file: file.path, dropped: examples.count, maxLength: maxLength ?? 0)
        }
        try TrainLoggedRun.fullFineTuning(modelDirectory: dir, training: training, resumeFrom: resumeFromCheckpoint.map { URL(fileURLWithPath: $0) },
                                          chatTemplateSource: template, say: say) {
            try makeTrainer($0, data.examples, try TrainRunFiles.padID(tokenizer, modelDirectory: dir))
        }
    }
}
