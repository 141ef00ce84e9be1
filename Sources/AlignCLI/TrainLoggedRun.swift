// TrainLoggedRun: the part every `align train …` run shares once its trainer exists — create output_dir,
// optionally resume a checkpoint, then train while rewriting metrics.jsonl atomically after every step
// (a killed run leaves it consistent with its last step) and printing progress every logging_steps; any
// LoopDriven trainer. For the full fine-tuning commands, also the policy's loading and the final model.
import AlignModels
import AlignTraining
import Foundation

enum TrainLoggedRun {
    /// Resumes (if asked) and trains `trainer` (any LoopDriven trainer; its loop's config holds the resolved step
    /// count) to the end, logging into `output`/metrics.jsonl.
    /// With `watchDisplacement` (pairwise runs, whose `rewards/chosen` is β·log π/π_ref), warns once when the
    /// chosen completions lose probability while the margin grows (LikelihoodDisplacementMonitor).
    static func run(_ trainer: some LoopDriven, training: TrainingConfig, output: URL, resumeFrom: URL?,
                    watchDisplacement: Bool = false, say: (String) -> Void) throws {
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        if let resumeFrom {
            try trainer.resume(from: resumeFrom)
            say("resumed from \(resumeFrom.path) at step \(trainer.state.step)")
        }
        var metrics = try MetricsFile(url: output.appendingPathComponent("metrics.jsonl"), keepingStepsUpTo: trainer.state.step)
        var progress = TrainProgress(totalSteps: trainer.loop.config.maxSteps, firstStep: trainer.state.step, loggingSteps: training.loggingSteps)
        var displacement = LikelihoodDisplacementMonitor()
        try trainer.train { log in
            do { try metrics.append(log) } catch {
                say("error: \(error)")
                return false
            }
            if let line = progress.line(for: log) { say(line) }
            if watchDisplacement, displacement.observe(log) { say(displacement.warning()) }
            return true
        }
        try metrics.flushError()
    }

    /// A full fine-tuning run (`align train tpo|pro|lipo|aft|copg|d2o|posft`): loads the policy in `modelDirectory` with
    /// every weight trainable, trains the trainer `makeTrainer` builds on it (`run`), then saves the final model with
    /// the folder's config and tokenizer files into output_dir.
    static func fullFineTuning<Trainer: LoopDriven>(
        modelDirectory: URL, training: TrainingConfig, resumeFrom: URL?, chatTemplateSource: String?, say: (String) -> Void,
        trainer makeTrainer: (_ policy: DecoderModel) throws -> Trainer
    ) throws {
        let policy = try DecoderModel.load(directory: modelDirectory)
        policy.setTrainable(true)  // loaded weights start frozen
        let trainer = try makeTrainer(policy)
        let out = URL(fileURLWithPath: training.outputDir)
        try run(trainer, training: training, output: out, resumeFrom: resumeFrom, say: say)
        try TrainRunFiles.saveFinalModel(policy, from: modelDirectory, to: out, chatTemplateSource: chatTemplateSource)
        say("saved the final model in \(out.path)")
    }
}
