// TrainSFTRun: one `align train sft` run, in the order TRL's SFTTrainer does it — read and validate the whole
// dataset (a bad row fails before any compute with its file:line), tokenize, label, truncate or pack it
// (AlignData.SFTTokenizer; rows left without a target by max_length are counted and listed), load the model
// or initialize it from config.json with the seed, optionally resume a checkpoint, train (SFTTrainer), and
// save the final model into output_dir. metrics.jsonl is rewritten atomically after every step.
import AlignData
import AlignModels
import AlignTokenizers
import AlignTraining
import Foundation

/// A configured SFT run.
struct TrainSFTRun {
    let modelDirectory: URL
    let dataFile: URL
    let settings: SFTRunSettings
    let chatTemplateSource: String?
    let initFromScratch: Bool
    let resumeFrom: URL?

    var outputDirectory: URL { URL(fileURLWithPath: settings.training.outputDir) }

    /// Runs to the end; `say` receives the progress and summary lines.
    func execute(say: (String) -> Void) throws {
        let examples = try SFTExample.load(dataFile)
        let tokenizer = try SFTTokenizer(directory: modelDirectory, chatTemplateSource: chatTemplateSource)
        let data = try tokenizer.prepare(examples, config: settings.data)
        report(data, total: examples.count, say: say)
        guard !data.examples.isEmpty else {
            throw AlignCLIError.noTrainableRows(file: dataFile.path, dropped: examples.count, maxLength: settings.data.maxLength ?? 0)
        }
        let model = initFromScratch
            ? try DecoderModel.randomlyInitialized(directory: modelDirectory, seed: settings.training.seed)
            : try DecoderModel.load(directory: modelDirectory)
        try settings.lora.prepare(model, seed: settings.training.seed, disableDropout: false)
        let trainer = try SFTTrainer(model: model, config: settings.training, data: data.examples,
                                     padID: try TrainRunFiles.padID(tokenizer.base, modelDirectory: modelDirectory))
        try TrainLoggedRun.run(trainer, training: settings.training, output: outputDirectory, resumeFrom: resumeFrom, say: say)
        try settings.lora.saveFinal(model, from: modelDirectory, to: outputDirectory, chatTemplateSource: chatTemplateSource)
        say("saved the final \(settings.lora.usePeft ? "adapter" : "model") in \(outputDirectory.path) (\(trainer.state.step) steps)")
    }

    func report(_ data: TokenizedSFTDataset, total: Int, say: (String) -> Void) {
        let dropped = data.droppedByLength
        let tokens = data.examples.reduce(0) { $0 + $1.tokenCount }
        let cut = data.tokensCutByPacking > 0 ? ", \(data.tokensCutByPacking) tokens beyond max_length cut" : ""
        let packed = settings.data.packing ? ", packed (\(settings.data.packingStrategy.rawValue)\(cut))" : ""
        say("tokenized \(total) rows of \(dataFile.path): \(data.examples.count) training examples\(packed), "
            + "\(tokens) tokens, \(dropped.count) dropped by max_length")
        guard let n = settings.data.maxLength, !dropped.isEmpty else { return }
        let shown = dropped.prefix(10).map(\.description).joined(separator: ", ")
        say("dropped (no completion token left within max_length = \(n)): \(shown)\(dropped.count > 10 ? ", …" : "")")
    }
}
