// Checkpoints of RewardTrainer, in DPOTrainer's layout (DPOTrainer+Checkpoint.swift): `checkpoint-<step>/`
// with the trainable tensors (model.safetensors; PEFT names under LoRA), the AdamW buffers
// (optimizer.safetensors), trainer_state.json (CheckpointState), plus reward_state.json with the token
// count TRL logs as num_tokens. Written under a temporary name and renamed, so a kill never leaves a
// half-written checkpoint. Also the final model: a SequenceClassification folder or a PEFT adapter.
import AlignModels
import AlignTensor
import Foundation

/// reward_state.json.
struct RewardCheckpointState: Codable {
    var numTokens: Int
}

extension RewardTrainer {
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
            let opt = optimizer.exportState()
            try SafetensorsWriter.write(opt.flatTensors.sorted { $0.key < $1.key }.map { SafetensorsWriter.Entry($0.key, $0.value) },
                                        to: tmp.appendingPathComponent("optimizer.safetensors"))
            let st = CheckpointState(trainer: state, optimizerSteps: opt.steps, schedulerStep: scheduler.currentStep,
                                     baseLearningRates: scheduler.baseLRs)
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys]
            try enc.encode(st).write(to: tmp.appendingPathComponent("trainer_state.json"))
            try enc.encode(RewardCheckpointState(numTokens: numTokens)).write(to: tmp.appendingPathComponent("reward_state.json"))
            if fm.fileExists(atPath: final.path) { try fm.removeItem(at: final) }
            try fm.moveItem(at: tmp, to: final)
        } catch {
            try? fm.removeItem(at: tmp)  // best effort: the temporary folder is ours alone
            throw AlignModelsError.writeFailed(file: final.path, reason: "\(error)")
        }
        return final
    }

    /// Restores weights, optimizer buffers, scheduler, loop position and token count from a checkpoint.
    /// Throws naming the file when a piece is missing or does not fit this trainer's parameters.
    public func resume(from checkpoint: URL) throws {
        let weights = try SafetensorsFile(url: checkpoint.appendingPathComponent("model.safetensors"))
        for p in optimizer.parameters {
            p.tensor.assign(try weights.tensor(p.name, expectedShape: p.tensor.shape))
        }
        let optFile = try SafetensorsFile(url: checkpoint.appendingPathComponent("optimizer.safetensors"))
        var flat: [String: Tensor] = [:]
        for name in optFile.names { flat[name] = try optFile.tensor(name) }
        let st: CheckpointState = try Self.decode(checkpoint.appendingPathComponent("trainer_state.json"))
        let reward: RewardCheckpointState = try Self.decode(checkpoint.appendingPathComponent("reward_state.json"))
        try optimizer.importState(OptimizerState(flatTensors: flat, steps: st.optimizerSteps))
        scheduler = try LRScheduler(resuming: optimizer, schedule: DPOTrainer.schedule(config), baseLRs: st.baseLearningRates,
                                    step: st.schedulerStep)
        state = st.trainer
        numTokens = reward.numTokens
    }

    /// Writes the trained model to `directory`: a PEFT SEQ_CLS adapter under LoRA, otherwise a
    /// `*ForSequenceClassification` folder (model.safetensors + config.json derived from `baseConfig`).
    public func saveModel(to directory: URL, baseConfig: URL) throws {
        if model.base.loraConfig != nil {
            try model.saveLoRA(to: directory)
        } else {
            try model.save(to: directory, baseConfig: baseConfig)
        }
    }

    static func decode<T: Decodable>(_ url: URL) throws -> T {
        do { return try JSONDecoder().decode(T.self, from: Data(contentsOf: url)) } catch {
            throw AlignModelsError.invalidConfig(file: url.path, key: "(root)", reason: "\(error)")
        }
    }
}
