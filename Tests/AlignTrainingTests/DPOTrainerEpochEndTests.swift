// DPOTrainer at an epoch's end with gradient accumulation: as transformers' Trainer, the last update of an
// epoch runs only the remaining micro-batches (`remainder = steps_in_epoch % gradient_accumulation_steps`)
// and divides by their count — it does not borrow micro-batches from the next epoch. And a reference-free
// objective (ORPO, SimPO) trains through the same loop without a reference pass.
import Foundation
import Testing
import AlignModels
import AlignTensor
@testable import AlignTraining

@Suite("DPO trainer epoch end and reference-free objectives")
struct DPOTrainerEpochEndTests {
    func config(steps: Int, batch: Int, accum: Int) -> TrainingConfig {
        var c = TrainingConfig()
        (c.maxSteps, c.perDeviceTrainBatchSize, c.gradientAccumulationSteps, c.learningRate) = (steps, batch, accum, 0.05)
        c.shuffle = false
        return c
    }

    @Test("6 pairs, batch 2, accumulation 2: the epoch's 2nd update uses only pairs 4–5, its loss is theirs")
    func remainder() throws {
        let objective = try DPOLoss(config: DPOConfig())
        let accumulated = try DPOTrainer(model: try tinyModel(), objective: objective, config: config(steps: 2, batch: 2, accum: 2),
                                         data: tinyPairs, padID: 0)
        let logs = try accumulated.train()
        #expect(accumulated.state.epoch == 1 && accumulated.state.position == 0)  // nothing of epoch 2 consumed
        // One batch of 4 then the partial batch 4–5: the same first update (accumulation 2 × 2 = batch 4), then
        // the same second batch when the remainder is not padded out with the next epoch's pairs 0–1.
        let single = try DPOTrainer(model: try tinyModel(), objective: objective, config: config(steps: 2, batch: 4, accum: 1),
                                    data: tinyPairs, padID: 0)
        let reference = try single.train()
        #expect(logs.count == 2 && reference.count == 2)
        #expect(abs(logs[0].loss - reference[0].loss) < 1e-6)
        #expect(abs(logs[1].loss - reference[1].loss) < 1e-5 * abs(reference[1].loss))
    }

    @Test("ORPO and SimPO skip the reference pass; their first losses equal the objectives on the initial model")
    func referenceFree() throws {
        var simpo = CPOConfig()
        (simpo.lossType, simpo.cpoAlpha, simpo.beta, simpo.simpoGamma) = (.simpo, 0, 2, 1)
        for objective in [CPOLoss(config: simpo), ORPOLoss(config: ORPOConfig())] as [any PairwiseObjective] {
            let trainer = try DPOTrainer(model: try tinyModel(), objective: objective, config: config(steps: 1, batch: 6, accum: 1),
                                         data: tinyPairs, padID: 0)
            #expect(trainer.referenceLogps.isEmpty)
            let expected = try Autograd.withoutGrad { try trainer.microBatch(Array(0 ..< 6)).loss.item() }
            let logs = try trainer.train()
            #expect(abs(logs[0].loss - Double(expected)) < 1e-6)
        }
    }
}
