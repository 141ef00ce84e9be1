// SFTTrainer vs TRL 1.16's SFTTrainer (Tests/Fixtures/sft/sft_training.json, made by
// scripts/fixtures/sft_parity_fixture.py): the tiny Llama (../shared/data/models/tiny-llama) trained 3 steps
// in sequential order with AdamW (lr 1e-3, linear decay, no warmup, clip 1.0) on the same rows, prepared by
// SFTTokenizer; the loss of each step agrees within 1e-4 relative, the gradient norm within 1e-4 at step 1
// and 3e-4 after (see below), and step 1 is within 1e-6 (loss) / 1e-5 (grad norm) of a Float64 autograd
// reference of the same batches. The cases cover
// completion-only loss with 2 accumulated micro-batches of unequal lengths (num_items_in_batch), bfd
// packing (padding-free in TRL, separate rows here), wrapped packing and conversational messages.
import AlignData
import AlignModels
import AlignTestSupport
import AlignTraining
import Foundation
import Testing

struct SFTTrainingFixture: Decodable {
    struct Case: Decodable {
        var loss: [Double]
        var grad_norm: [Double]
        var learning_rate: [Double]
        var float64_step1_loss: Double
        var float64_step1_grad_norm: Double
    }
    var cases: [String: Case]
}

@Suite("SFT training parity with TRL", .serialized)
struct SFTParityTests {
    struct Setup {
        var file: String
        var data = SFTDataConfig()
        var batch = 2
        var accum = 1
    }

    static let setups: [String: Setup] = {
        var pc = Setup(file: "prompt_completion.jsonl", accum: 2)
        pc.data.maxLength = 32
        var bfd = Setup(file: "text.jsonl")
        bfd.data.maxLength = 32
        bfd.data.packing = true
        var wrapped = Setup(file: "text.jsonl")
        wrapped.data.maxLength = 16
        wrapped.data.packing = true
        wrapped.data.packingStrategy = .wrapped
        var messages = Setup(file: "messages.jsonl", batch: 3)
        messages.data.maxLength = 64
        return ["prompt_completion_accum2": pc, "text_bfd": bfd, "text_wrapped": wrapped, "messages": messages]
    }()

    @Test("loss and grad_norm of 3 steps match TRL within 1e-4 relative",
          arguments: ["prompt_completion_accum2", "text_bfd", "text_wrapped", "messages"])
    func matches(name: String) throws {
        let expected = try #require(try FixturePaths.loadJSON(SFTTrainingFixture.self, "sft/sft_training.json").cases[name])
        let setup = try #require(Self.setups[name])
        let template = try String(contentsOf: FixturePaths.fixture("data/chat_template.jinja"), encoding: .utf8)
        let dir = FixturePaths.shared("models/tiny-llama")
        let tok = try SFTTokenizer(directory: dir, chatTemplateSource: template)
        let data = try tok.prepare(try SFTExample.load(FixturePaths.fixture("sft/\(setup.file)")), config: setup.data)
        let model = try DecoderModel.load(directory: dir)
        model.setTrainable(true)
        var c = TrainingConfig()
        c.maxSteps = 3
        c.learningRate = 1e-3
        c.perDeviceTrainBatchSize = setup.batch
        c.gradientAccumulationSteps = setup.accum
        c.shuffle = false
        let logs = try SFTTrainer(model: model, config: c, data: data.examples, padID: 0).train()
        #expect(logs.count == 3)
        for (i, log) in logs.enumerated() {
            let dl = Swift.abs(log.loss - expected.loss[i]) / expected.loss[i]
            let dg = Swift.abs(log.gradNorm - expected.grad_norm[i]) / expected.grad_norm[i]
            #expect(dl < 1e-4, "\(name) step \(i + 1) loss \(log.loss) vs TRL \(expected.loss[i]) (rel \(dl))")
            // TRL's logged grad_norm is ~2.4e-5 below the Float64 gradient norm of the same loss (checked at
            // step 1 below); fed through AdamW at lr 1e-3 that difference grows, so later steps get 3e-4.
            #expect(dg < (i == 0 ? 1e-4 : 3e-4), "\(name) step \(i + 1) grad_norm \(log.gradNorm) vs TRL \(expected.grad_norm[i]) (rel \(dg))")
            #expect(Swift.abs(log.learningRate - expected.learning_rate[i]) < 1e-12)
        }
        // Step 1 against the Float64 autograd reference: closer than TRL's own float32 number.
        let first = try #require(logs.first)
        let dl64 = Swift.abs(first.loss - expected.float64_step1_loss) / expected.float64_step1_loss
        let dg64 = Swift.abs(first.gradNorm - expected.float64_step1_grad_norm) / expected.float64_step1_grad_norm
        #expect(dl64 < 1e-6 && dg64 < 1e-5, "\(name) step 1 vs Float64: loss rel \(dl64), grad_norm rel \(dg64)")
    }
}
