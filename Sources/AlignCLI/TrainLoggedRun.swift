// TrainLoggedRun: the part every `align train …` run shares once its trainer exists — create output_dir,
// optionally resume a checkpoint, then train while rewriting metrics.jsonl atomically after every step
// (a killed run leaves it consistent with its last step) and printing progress every logging_steps.
import AlignTraining
import Foundation

/// What the CLI needs of a trainer (DPOTrainer, SFTTrainer and RewardTrainer all have it).
protocol LoggedTrainer: AnyObject {
    var state: TrainerState { get }
    /// The loop, whose config holds the resolved step count (max_steps, or num_train_epochs in steps).
    var loop: TrainingLoop { get }
    func resume(from checkpoint: URL) throws
    @discardableResult func train(onStep: (StepLog) -> Bool) throws -> [StepLog]
}

extension DPOTrainer: LoggedTrainer {}
extension SFTTrainer: LoggedTrainer {}
extension RewardTrainer: LoggedTrainer {}

enum TrainLoggedRun {
    /// Resumes (if asked) and trains `trainer` to the end, logging into `output`/metrics.jsonl.
    /// With `watchDisplacement` (pairwise runs, whose `rewards/chosen` is β·log π/π_ref), warns once when the
    /// chosen completions lose probability while the margin grows (LikelihoodDisplacementMonitor).
    static func run(_ trainer: some LoggedTrainer, training: TrainingConfig, output: URL, resumeFrom: URL?,
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
}
