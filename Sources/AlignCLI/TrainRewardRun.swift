// TrainRewardRun: one `align train reward` run, in the order TRL's RewardTrainer does it — read and
// validate the whole dataset (a bad row fails before any compute), tokenize it (AlignData
// RewardExample/tokenizeForReward; pairs over max_length are dropped, counted and listed), load the model
// (a SequenceClassification folder as is, or a causal LM with a fresh `score` head), set its pad_token_id
// to the tokenizer's pad (or EOS) token as TRL does, optionally resume, train, save into output_dir.
// metrics.jsonl is rewritten atomically after every step; checkpoints are atomic folders.
import AlignData
import AlignModels
import AlignTokenizers
import AlignTraining
import Foundation

/// A configured reward-model run.
struct TrainRewardRun {
    let modelDirectory: URL
    let dataFile: URL
    let settings: RewardRunSettings
    let chatTemplateSource: String?
    let resumeFrom: URL?

    var outputDirectory: URL { URL(fileURLWithPath: settings.training.outputDir) }

    /// Runs to the end; `say` receives the progress and summary lines.
    func execute(say: (String) -> Void) throws {
        let examples = try RewardExample.load(dataFile)
        let tokenizer = try PreferenceTokenizer(directory: modelDirectory, chatTemplateSource: chatTemplateSource)
        let data = try tokenizer.tokenizeForReward(examples, maxLength: settings.maxLength)
        say("tokenized \(examples.count) rows of \(dataFile.path): \(data.examples.count) kept, "
            + "\(data.droppedByLength.count) dropped by max_length")
        if let n = settings.maxLength, !data.droppedByLength.isEmpty {
            let shown = data.droppedByLength.prefix(10).map(\.description).joined(separator: ", ")
            say("dropped (a side longer than max_length = \(n) tokens): \(shown)\(data.droppedByLength.count > 10 ? ", …" : "")")
        }
        guard !data.examples.isEmpty else {
            throw AlignCLIError.noTrainableRows(file: dataFile.path, dropped: examples.count, maxLength: settings.maxLength ?? 0)
        }
        let model = try loadModel(padID: try padID(tokenizer), say: say)
        let trainer = try RewardTrainer(model: model, objective: RewardLoss(config: settings.reward), config: settings.training,
                                        data: data.examples)
        try TrainLoggedRun.run(trainer, training: settings.training, output: outputDirectory, resumeFrom: resumeFrom, say: say)
        try trainer.saveModel(to: outputDirectory, baseConfig: modelDirectory.appendingPathComponent("config.json"))
        try copyTokenizerFiles()
        say("saved the final \(settings.lora == nil ? "model" : "adapter") in \(outputDirectory.path) (\(trainer.state.step) steps)")
    }

    /// The classifier to train: a SequenceClassification checkpoint, or a causal LM with a fresh head.
    func loadModel(padID: Int32, say: (String) -> Void) throws -> SequenceClassifier {
        let hasHead = try SafetensorsCheckpoint(directory: modelDirectory).names.contains("score.weight")
        let model = hasHead ? try SequenceClassifier.load(directory: modelDirectory)
            : try SequenceClassifier.fromCausalLM(directory: modelDirectory, numLabels: 1, seed: settings.training.seed)
        if !hasHead { say("no score.weight in \(modelDirectory.path): added a fresh scalar head (seed \(settings.training.seed))") }
        model.config.padTokenID = Int(padID)  // TRL: model.config.pad_token_id = tokenizer.pad_token_id
        if let lora = settings.lora {
            try model.attachLoRA(lora, seed: settings.training.seed)
            if settings.disableDropout { model.base.setLoRATraining(false) }  // TRL's disable_dropout_in_model
        } else {
            model.setTrainable(true)  // full fine-tuning: loaded weights start frozen
        }
        return model
    }

    /// TRL: `pad_token or tokenizer.pad_token or tokenizer.eos_token`.
    func padID(_ tok: PreferenceTokenizer) throws -> Int32 {
        let special = try ChatTemplateConfig(directory: modelDirectory).specialTokens
        for name in [special["pad_token"], tok.eosToken].compactMap({ $0 }) {
            if let id = tok.tokenizer.id(for: name) { return Int32(id) }
        }
        throw AlignDataError.invalidSetting(name: "pad_token", value: "absent", expected: "a pad or EOS token in the vocabulary")
    }

    /// The tokenizer files (and a --chat-template) next to the model, each written atomically.
    func copyTokenizerFiles() throws {
        var files: [(String, Data)] = []
        for name in ["generation_config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "chat_template.jinja"] {
            let src = modelDirectory.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: src.path) else { continue }
            do { files.append((name, try Data(contentsOf: src))) } catch {
                throw AlignCLIError.writeFailed(file: src.path, reason: error.localizedDescription)
            }
        }
        if let template = chatTemplateSource { files.append(("chat_template.jinja", Data(template.utf8))) }
        for (name, bytes) in files {
            let dst = outputDirectory.appendingPathComponent(name)
            do { try bytes.write(to: dst, options: .atomic) } catch {
                throw AlignCLIError.writeFailed(file: dst.path, reason: error.localizedDescription)
            }
        }
    }
}
