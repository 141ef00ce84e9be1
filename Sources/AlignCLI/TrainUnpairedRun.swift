// TrainUnpairedRun: one `align train kto|bco` run, in the order TRL's KTOTrainer does it — read and validate
// the whole dataset (a bad row fails before any compute), tokenize it (AlignData.tokenizeUnpaired: EOS,
// prompt boundary, length filter with dropped rows counted and listed, KL completions for `kto`), load the
// policy (its initial weights are the reference), optionally resume a checkpoint, train with metrics.jsonl
// and checkpoints (TrainLoggedRun), and save the final model into output_dir.
import AlignData
import AlignModels
import AlignTraining
import Foundation

/// A configured unpaired (KTO or BCO) run.
struct TrainUnpairedRun {
    let modelDirectory: URL
    let dataFile: URL
    let settings: UnpairedRunSettings
    let chatTemplateSource: String?
    let resumeFrom: URL?

    var outputDirectory: URL { URL(fileURLWithPath: settings.training.outputDir) }

    /// Whether the loss pairs completions with neighbouring prompts to estimate the KL term.
    var needsKL: Bool { settings.objective == .kto && settings.kto.lossType == .kto }

    /// Runs to the end; `say` receives the progress and summary lines.
    func execute(say: (String) -> Void) throws {
        let examples = try UnpairedExample.load(dataFile)
        let tokenizer = try PreferenceTokenizer(directory: modelDirectory, chatTemplateSource: chatTemplateSource)
        let data = try tokenizer.tokenizeUnpaired(examples, maxLength: settings.maxLength,
                                                  klChunkSize: needsKL ? settings.training.perDeviceTrainBatchSize : nil)
        reportDropped(data, total: examples.count, say: say)
        guard !data.examples.isEmpty else {
            throw AlignCLIError.noTrainableRows(file: dataFile.path, dropped: examples.count, maxLength: settings.maxLength ?? 0)
        }
        let model = try DecoderModel.load(directory: modelDirectory)
        try settings.lora.prepare(model, seed: settings.training.seed, disableDropout: settings.disableDropout)
        let pad = try TrainRunFiles.padID(tokenizer, modelDirectory: modelDirectory)
        let out = outputDirectory
        switch settings.objective {
        case .kto:
            let trainer = try KTOTrainer(model: model, objective: KTOLoss(config: settings.kto), config: settings.training,
                                         data: data.examples, padID: pad)
            try TrainLoggedRun.run(trainer, training: settings.training, output: out, resumeFrom: resumeFrom, say: say)
        case .bco:
            let trainer = try BCOTrainer(model: model, objective: BCOLoss(beta: settings.bcoBeta), config: settings.training,
                                         data: data.examples, padID: pad, udm: try udm(data.examples, say: say))
            try TrainLoggedRun.run(trainer, training: settings.training, output: out, resumeFrom: resumeFrom, say: say)
        }
        try settings.lora.saveFinal(model, from: modelDirectory, to: out, chatTemplateSource: chatTemplateSource)
        say("saved the final \(settings.lora.usePeft ? "adapter" : "model") in \(out.path)")
    }

    /// UDM settings with every row's prompt embedded by `udm_embedding_model`, or nil when that key is unset.
    func udm(_ rows: [TokenizedUnpaired], say: (String) -> Void) throws -> UDMSettings? {
        guard let dir = settings.udmEmbeddingModel else { return nil }
        let embedder = try DecoderModel.load(directory: URL(fileURLWithPath: dir))
        let embeddings = try PromptEmbedding.meanPooled(embedder, prompts: rows.map(\.prompt))
        say("UDM: embedded \(rows.count) prompts with \(dir) (\(embedder.spec.hiddenSize) dims)")
        return UDMSettings(promptEmbeddings: embeddings, promptSampleSize: settings.promptSampleSize,
                           minDensityRatio: settings.minDensityRatio, maxDensityRatio: settings.maxDensityRatio)
    }

    func reportDropped(_ data: TokenizedUnpairedDataset, total: Int, say: (String) -> Void) {
        let dropped = data.droppedByLength
        say("tokenized \(total) rows of \(dataFile.path): \(data.examples.count) kept, \(dropped.count) dropped by max_length")
        guard let n = settings.maxLength, !dropped.isEmpty else { return }
        let shown = dropped.prefix(10).map(\.description).joined(separator: ", ")
        say("dropped (prompt alone ≥ max_length = \(n) tokens): \(shown)\(dropped.count > 10 ? ", …" : "")")
    }
}
