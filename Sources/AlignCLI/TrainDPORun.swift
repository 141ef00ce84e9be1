// TrainDPORun: one `align train dpo` run, in the order TRL's DPOTrainer does it — read and validate the
// whole dataset (a bad row fails before any compute), tokenize it (AlignData.PreferenceTokenizer; rows
// dropped by max_length are counted and listed), load the policy (its initial weights are the reference),
// optionally resume a checkpoint, train, and save the final model into output_dir.
// Files users keep are replaced atomically: metrics.jsonl is rewritten (temp + rename) after every step,
// so a killed run leaves it consistent with the last step; checkpoints are atomic folders (DPOTrainer).
import AlignData
import AlignModels
import AlignTokenizers
import AlignTraining
import Foundation

/// A configured DPO run.
struct TrainDPORun {
    let modelDirectory: URL
    let dataFile: URL
    let settings: DPORunSettings
    let chatTemplateSource: String?
    let resumeFrom: URL?

    var outputDirectory: URL { URL(fileURLWithPath: settings.training.outputDir) }

    /// Runs to the end; `say` receives the progress and summary lines. Returns the trained policy (LoRA attached
    /// when `use_peft`).
    @discardableResult
    func execute(say: (String) -> Void) throws -> DecoderModel {
        let examples = try PreferenceExample.load(dataFile)
        let tokenizer = try PreferenceTokenizer(directory: modelDirectory, chatTemplateSource: chatTemplateSource)
        let data = try tokenizer.tokenize(examples, maxLength: settings.maxLength, truncationMode: settings.truncationMode)
        reportDropped(data, total: examples.count, say: say)
        guard !data.examples.isEmpty else {
            throw AlignCLIError.noTrainableRows(file: dataFile.path, dropped: examples.count, maxLength: settings.maxLength ?? 0)
        }
        let model = try DecoderModel.load(directory: modelDirectory)
        try settings.lora.prepare(model, seed: settings.training.seed, disableDropout: settings.disableDropout)
        let cache = settings.refLogpsCacheDir.map { ReferenceLogpsCache(directory: URL(fileURLWithPath: $0)) }
        let objective = try settings.makeObjective()
        // TRL's ref_model: a separate frozen reference (e.g. SALSA's soup from `align merge --soup`); it must share the
        // policy's tokenizer. nil: the policy's own initial weights.
        // With sync_ref_model it is live: mixed toward the policy every ref_model_sync_steps and checkpointed.
        let reference = try settings.refModel.map { try DecoderModel.load(directory: URL(fileURLWithPath: $0)) }
        let trainer = try DPOTrainer(model: model, reference: reference, objective: objective, config: settings.training,
                                     data: data.examples, padID: try padID(tokenizer), referenceCache: cache,
                                     referenceSync: settings.referenceSync)
        if let cache, objective.needsReference {
            say("reference log-probs \(trainer.referenceCacheHit ? "read from" : "computed and stored in") \(cache.directory.path)")
        }
        // Displacement is read from rewards/chosen = β·(log π − log π_ref): only reference-based objectives log that.
        try TrainLoggedRun.run(trainer, training: settings.training, output: outputDirectory, resumeFrom: resumeFrom,
                               watchDisplacement: objective.needsReference, say: say)
        try settings.lora.saveFinal(model, from: modelDirectory, to: outputDirectory, chatTemplateSource: chatTemplateSource)
        say("saved the final \(settings.lora.usePeft ? "adapter" : "model") in \(outputDirectory.path) (\(trainer.state.step) steps)")
        return model
    }

    func reportDropped(_ data: TokenizedPreferenceDataset, total: Int, say: (String) -> Void) {
        let dropped = data.droppedByLength
        say("tokenized \(total) rows of \(dataFile.path): \(data.examples.count) kept, \(dropped.count) dropped by max_length")
        guard let n = settings.maxLength, !dropped.isEmpty else { return }
        let shown = dropped.prefix(10).map(\.description).joined(separator: ", ")
        say("dropped (prompt alone ≥ max_length = \(n) tokens): \(shown)\(dropped.count > 10 ? ", …" : "")")
    }

    /// TRL: `pad_token or tokenizer.pad_token or tokenizer.eos_token`.
    func padID(_ tok: PreferenceTokenizer) throws -> Int32 { try TrainRunFiles.padID(tok, modelDirectory: modelDirectory) }
}
