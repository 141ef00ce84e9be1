// LoopDriven: a trainer on the shared TrainingLoop. It supplies its optimizer step (usually
// TrainingLoop.averagedStep over its micro-batch); the loop's state, optimizer and schedule, checkpoints, resume
// and the run-until-max_steps driver come from this extension, once for every trainer. A trainer with state of its
// own implements `resume(from:)` itself (BCOTrainer's running reward mean); it is a requirement so that a caller
// holding `some LoopDriven` (the CLI's TrainLoggedRun) reaches that implementation.
import AlignTensor
import Foundation

/// A trainer whose optimizer, schedule, data order, checkpoints and run driver are a TrainingLoop's.
public protocol LoopDriven: AnyObject {
    /// Optimizer, schedule, data order, loop position and checkpoints.
    var loop: TrainingLoop { get }
    /// Runs the next step's micro-batches and one AdamW update; returns the step's log. `train` calls it until
    /// `max_steps`; called directly, it writes no checkpoint.
    func optimizerStep() throws -> StepLog
    /// Restores weights, optimizer buffers, scheduler and loop position from a checkpoint folder.
    func resume(from checkpoint: URL) throws
}

extension LoopDriven {
    /// Where the loop is (step, epoch, position, tokens seen).
    public var state: TrainerState { loop.state }
    /// The loop's AdamW optimizer.
    public var optimizer: AdamW { loop.optimizer }
    /// The loop's learning-rate schedule.
    public var scheduler: LRScheduler { loop.scheduler }

    /// Writes `checkpoint-<step>` in `directory` atomically and returns its URL (TrainingLoop+Checkpoint).
    @discardableResult
    public func saveCheckpoint(in directory: URL) throws -> URL { try loop.saveCheckpoint(in: directory) }

    /// Restores weights, optimizer buffers, scheduler, loop position and token count from a checkpoint folder.
    public func resume(from checkpoint: URL) throws { try loop.resume(from: checkpoint) }

    /// Runs until `max_steps`, checkpointing every `save_steps` into `output_dir`. `onStep` sees every step and
    /// may return false to stop early (the checkpoint written at that point resumes the run exactly).
    @discardableResult
    public func train(onStep: (StepLog) -> Bool = { _ in true }) throws -> [StepLog] {
        try loop.run(optimizerStep, onStep: onStep)
    }
}
