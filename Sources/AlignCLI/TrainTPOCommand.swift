// `align train tpo`: Triple Preference Optimization on `{prompt, chosen, rejected, reference}` rows (AlignData.
// TPOExample; `reference` is the gold completion), trained by TPOTrainer. It takes the option list of `align train dpo`
// (one @OptionGroup) with TRL 1.16 TPOConfig's keys and defaults: beta 0.01, tpo_alpha 1, tpo_l_gamma 0.5,
// label_smoothing 0, loss_type sigmoid|hinge|ipo|tpo-l, learning_rate 5e-7, max_length 1024, truncation_mode.
import AlignData
import AlignModels
import AlignTokenizers
import AlignTraining
import ArgumentParser
import Foundation

/// `align train tpo --model DIR --data F [--config F] [--beta B] [--loss-type T] …`.
public struct TrainTPOCommand: ParsableCommand {
    /// Command name and help.
    public static let configuration = CommandConfiguration(
        commandName: "tpo", abstract: "Train with TPO (Saeidi et al. 2024; TRL's experimental TPOTrainer) on triples with a gold `reference`.",
        discussion: "Keys (TRL TPOConfig): beta 0.01, tpo_alpha 1 (weight of the gold NLL), tpo_l_gamma 0.5, label_smoothing 0, "
            + "loss_type sigmoid|hinge|ipo|tpo-l; learning_rate defaults to TRL's 5e-7. --objective may only be tpo.")
    @OptionGroup var options: TrainDPOCommand
    /// Creates the command.
    public init() {}

    /// Reads settings, trains, prints progress and the summary.
    public func run() throws {
        let (training, tpo, data) = try Self.settings(try (options.config.map { try TrainConfigFile.read($0, known: Self.knownKeys) } ?? [])
            + options.flagPairs())
        let template = try options.chatTemplate.map { path -> String in
            do { return try String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8) } catch {
                throw ValidationError("cannot read --chat-template \(path): \(error.localizedDescription)")
            }
        }
        try execute(training: training, objective: TPOLoss(config: tpo), maxLength: data.maxLength,
                    truncationMode: data.truncationMode, template: template) { print($0) }
    }

    static let tpoKeys: Set<String> = ["beta", "tpo_alpha", "tpo_l_gamma", "label_smoothing", "loss_type"]
    static var knownKeys: Set<String> { TrainConfigFile.trainingKeys.union(tpoKeys).union(["max_length", "truncation_mode", "objective"]) }

    /// TrainingConfig (learning_rate 5e-7 unless set), TPOConfig and the dataset settings from TRL-named pairs.
    static func settings(_ pairs: [(String, ChatJSON)]) throws
        -> (TrainingConfig, TPOConfig, (maxLength: Int?, truncationMode: TruncationMode)) {
        var training = TrainingConfig(), tpo = TPOConfig(), maxLength: Int? = 1024, mode = TruncationMode.keepStart
        training.learningRate = 5e-7
        for (key, v) in pairs {
            if try TrainConfigFile.applyTraining(key, v, to: &training) { continue }
            switch key {
            case "max_length": maxLength = try TrainConfigFile.maxLength(key, v)
            case "truncation_mode": mode = try TrainConfigFile.truncationMode(key, v)
            case "objective":
                let o = try TrainConfigFile.string(key, v)
                guard o == "tpo" else {
                    throw AlignCLIError.badConfigValue(key: key, value: o, expected: "tpo, which `align train tpo` implies")
                }
            case "beta": tpo.beta = try TrainConfigFile.double(key, v)
            case "tpo_alpha": tpo.tpoAlpha = try TrainConfigFile.double(key, v)
            case "tpo_l_gamma": tpo.tpoLGamma = try TrainConfigFile.double(key, v)
            case "label_smoothing": tpo.labelSmoothing = try TrainConfigFile.double(key, v)
            case "loss_type":
                let name = try TrainConfigFile.string(key, v)
                guard let t = TPOConfig.LossType(rawValue: name) else {
                    throw AlignCLIError.badConfigValue(key: key, value: name, expected: "sigmoid, hinge, ipo or tpo-l (align train tpo)")
                }
                tpo.lossType = t
            default: throw AlignCLIError.unknownConfigKey(file: "flags", key: key)
            }
        }
        guard tpo.beta > 0 else { throw AlignCLIError.badConfigValue(key: "beta", value: "\(tpo.beta)", expected: "> 0") }
        guard tpo.tpoAlpha >= 0 else { throw AlignCLIError.badConfigValue(key: "tpo_alpha", value: "\(tpo.tpoAlpha)", expected: "≥ 0") }
        try training.validate()
        return (training, tpo, (maxLength, mode))
    }

    /// Tokenizes the triples, trains, writes metrics.jsonl, checkpoints and the final model into output_dir.
    func execute(training: TrainingConfig, objective: TPOLoss, maxLength: Int?, truncationMode: TruncationMode,
                 template: String?, say: (String) -> Void) throws {
        let dir = URL(fileURLWithPath: options.model), file = URL(fileURLWithPath: options.data)
        let examples = try TPOExample.load(file)
        let tokenizer = try PreferenceTokenizer(directory: dir, chatTemplateSource: template)
        let data = try tokenizer.tokenizeTPO(examples, maxLength: maxLength, truncationMode: truncationMode)
        say("tokenized \(examples.count) rows of \(file.path): \(data.examples.count) kept, \(data.droppedByLength.count) dropped by max_length"
            + (data.droppedByLength.isEmpty ? "" : " (" + data.droppedByLength.prefix(10).map(\.description).joined(separator: ", ") + ")"))
        guard !data.examples.isEmpty else {
            throw AlignCLIError.noTrainableRows(file: file.path, dropped: examples.count, maxLength: maxLength ?? 0)
        }
        try TrainLoggedRun.fullFineTuning(modelDirectory: dir, training: training,
                                          resumeFrom: options.resumeFromCheckpoint.map { URL(fileURLWithPath: $0) },
                                          chatTemplateSource: template, say: say) {
            try TPOTrainer(model: $0, objective: objective, config: training, data: data.examples,
                           padID: try TrainRunFiles.padID(tokenizer, modelDirectory: dir))
        }
    }
}
