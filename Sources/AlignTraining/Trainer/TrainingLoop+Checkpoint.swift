// Checkpoints for exact resume: `checkpoint-<step>/` holds the trainable weights (model.safetensors,
// transformers' names), the AdamW buffers (optimizer.safetensors, "<param>.<buffer>") and
// trainer_state.json (loop position, per-parameter optimizer steps, scheduler step), plus any extra weights
// the trainer registers (`checkpointExtras`, e.g. ref_model.safetensors of TR-DPO's live reference). The folder is
// written under a temporary name and renamed, so a kill never leaves a half-written checkpoint.
// Shared by every trainer through TrainingLoop.
import AlignModels
import AlignTensor
import Foundation

/// Weights a checkpoint carries besides the trainable parameters: written to `file` in the checkpoint folder,
/// and on resume assigned back by name (a missing or wrongly shaped tensor is an error naming it).
public struct CheckpointExtra {
    /// The file name inside `checkpoint-<step>/`.
    public let file: String
    /// The tensors to save and to restore into, by name (read at save and at resume time).
    public let tensors: () -> [(String, Tensor)]

    public init(file: String, tensors: @escaping () -> [(String, Tensor)]) {
        self.file = file
        self.tensors = tensors
    }
}

/// trainer_state.json.
struct CheckpointState: Codable {
    var trainer: TrainerState
    var optimizerSteps: [String: Int]
    var schedulerStep: Int
    var baseLearningRates: [Double]
}

extension TrainingLoop {
    /// Writes `checkpoint-<step>` in `directory` atomically and returns its URL.
    @discardableResult
    public func saveCheckpoint(in directory: URL) throws -> URL {
        let fm = FileManager.default
        let final = directory.appendingPathComponent("checkpoint-\(state.step)")
        let tmp = directory.appendingPathComponent(".tmp-checkpoint-\(state.step)-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try fm.createDirectory(at: tmp, withIntermediateDirectories: true)
            let weights = optimizer.parameters.map { SafetensorsWriter.Entry($0.name, $0.tensor) }
            try SafetensorsWriter.write(weights, to: tmp.appendingPathComponent("model.safetensors"))
            for extra in checkpointExtras {
                try SafetensorsWriter.write(extra.tensors().map { SafetensorsWriter.Entry($0.0, $0.1) },
                                            to: tmp.appendingPathComponent(extra.file))
            }
            let opt = optimizer.exportState()
            try SafetensorsWriter.write(opt.flatTensors.sorted { $0.key < $1.key }.map { SafetensorsWriter.Entry($0.key, $0.value) },
                                        to: tmp.appendingPathComponent("optimizer.safetensors"))
            let st = CheckpointState(trainer: state, optimizerSteps: opt.steps, schedulerStep: scheduler.currentStep,
                                     baseLearningRates: scheduler.baseLRs)
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys]
            try enc.encode(st).write(to: tmp.appendingPathComponent("trainer_state.json"))
            if fm.fileExists(atPath: final.path) { try fm.removeItem(at: final) }
            try fm.moveItem(at: tmp, to: final)
        } catch {
            try? fm.removeItem(at: tmp)  // best effort: the temporary folder is ours alone
            throw AlignModelsError.writeFailed(file: final.path, reason: "\(error)")
        }
        return final
    }

    /// Restores weights, optimizer buffers, scheduler and loop position from a checkpoint folder.
    /// Throws naming the file when a piece is missing or does not fit this trainer's parameters.
    public func resume(from checkpoint: URL) throws {
        let weights = try SafetensorsFile(url: checkpoint.appendingPathComponent("model.safetensors"))
        for p in optimizer.parameters {
            p.tensor.assign(try weights.tensor(p.name, expectedShape: p.tensor.shape))
        }
        for extra in checkpointExtras {
            let file = try SafetensorsFile(url: checkpoint.appendingPathComponent(extra.file))
            for (name, t) in extra.tensors() { t.assign(try file.tensor(name, expectedShape: t.shape)) }
        }
        let optFile = try SafetensorsFile(url: checkpoint.appendingPathComponent("optimizer.safetensors"))
        var flat: [String: Tensor] = [:]
        for name in optFile.names { flat[name] = try optFile.tensor(name) }
        let stateURL = checkpoint.appendingPathComponent("trainer_state.json")
        let st: CheckpointState
        do { st = try JSONDecoder().decode(CheckpointState.self, from: Data(contentsOf: stateURL)) }
        catch { throw AlignModelsError.invalidConfig(file: stateURL.path, key: "trainer_state", reason: "\(error)") }
        try optimizer.importState(OptimizerState(flatTensors: flat, steps: st.optimizerSteps))
        scheduler = try LRScheduler(resuming: optimizer, schedule: Self.schedule(config), baseLRs: st.baseLearningRates,
                                    step: st.schedulerStep)
        state = st.trainer
    }
}
