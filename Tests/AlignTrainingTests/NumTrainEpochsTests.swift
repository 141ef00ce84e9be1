// num_train_epochs → optimizer steps, as transformers' Trainer.set_initial_training_values (5.x) counts them:
// steps per epoch = ceil(micro-batches / gradient_accumulation_steps) with micro-batches = ceil(examples / batch),
// total = ceil(num_train_epochs × steps per epoch) when max_steps is -1 (the default); max_steps > 0 wins.
// The expected counts below are that formula worked by hand.
import Foundation
import Testing
import AlignModels
@testable import AlignTraining

@Suite("num_train_epochs")
struct NumTrainEpochsTests {
    func config(epochs: Double, batch: Int, accum: Int = 1, maxSteps: Int = -1) -> TrainingConfig {
        var c = TrainingConfig()
        (c.numTrainEpochs, c.perDeviceTrainBatchSize, c.gradientAccumulationSteps, c.maxSteps) = (epochs, batch, accum, maxSteps)
        (c.learningRate, c.shuffle) = (0.05, false)
        return c
    }

    @Test("defaults are transformers': max_steps -1, num_train_epochs 3")
    func defaults() {
        let c = TrainingConfig()
        #expect(c.maxSteps == -1 && c.numTrainEpochs == 3)
        // 6 examples, batch 8: one micro-batch per epoch → 3 steps.
        #expect(c.resolvedMaxSteps(exampleCount: 6) == 3)
    }

    @Test("steps per epoch and fractional epochs, worked by hand")
    func counts() {
        // 6 examples, batch 2 → 3 micro-batches; accumulation 2 → ceil(3/2) = 2 steps per epoch.
        #expect(config(epochs: 3, batch: 2, accum: 2).resolvedMaxSteps(exampleCount: 6) == 6)
        // 7 examples, batch 2 → 4 micro-batches, 4 steps per epoch; 1.5 epochs → 6.
        #expect(config(epochs: 1.5, batch: 2).resolvedMaxSteps(exampleCount: 7) == 6)
        // 0.3 epochs of 4 steps → ceil(1.2) = 2.
        #expect(config(epochs: 0.3, batch: 2).resolvedMaxSteps(exampleCount: 7) == 2)
        // max_steps > 0 overrides the epochs.
        #expect(config(epochs: 3, batch: 2, maxSteps: 5).resolvedMaxSteps(exampleCount: 6) == 5)
    }

    @Test("invalid lengths are errors naming the key")
    func invalid() {
        #expect(throws: TrainingError.self) { try config(epochs: 0, batch: 2).validate() }
        #expect(throws: TrainingError.self) { try config(epochs: 1, batch: 2, maxSteps: 0).validate() }
        #expect(throws: Never.self) { try config(epochs: 0, batch: 2, maxSteps: 4).validate() }
    }

    @Test("a DPO run of 2 epochs on 6 pairs, batch 2, accumulation 2 takes 4 steps and ends at epoch 2.0")
    func dpoRun() throws {
        let trainer = try DPOTrainer(model: try tinyModel(), objective: try DPOLoss(config: DPOConfig()),
                                     config: config(epochs: 2, batch: 2, accum: 2), data: tinyPairs, padID: 0)
        #expect(trainer.loop.config.maxSteps == 4)
        let logs = try trainer.train()
        #expect(logs.map(\.step) == [1, 2, 3, 4])
        let epochs: [Double] = [2.0 / 3, 1, 1 + 2.0 / 3, 2]
        #expect(logs.map(\.epoch) == epochs)
        #expect(trainer.state.epoch == 2 && trainer.state.position == 0)
    }
}
