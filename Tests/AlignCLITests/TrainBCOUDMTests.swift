// `align train bco` with UDM (udm_embedding_model = the tiny Llama itself, prompt_sample_size 8, ratios clipped to
// [0.5, 10]): the first step's loss is TRL's weighted BCO loss at policy == reference — every reward is 0 = δ, so
// the loss is ln 2 · mean(weights), desirable rows weight 1 and undesirable rows the clipped density ratio of the
// classifier fitted on the mean-pooled prompt embeddings (recomputed here through the library).
@testable import AlignCLI
import AlignData
import AlignModels
import AlignTestSupport
import AlignTokenizers
import AlignTraining
import Foundation
import Testing

@Suite("align train bco with UDM", .serialized)
struct TrainBCOUDMTests {
    @Test("the first loss is ln 2 × the mean UDM weight of the first micro-batch")
    func udmFirstLoss() throws {
        let out = try unpairedScratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let modelDir = FixturePaths.shared("models/tiny-llama")
        let config = out.appendingPathComponent("bco.yaml")
        try "udm_embedding_model: \(modelDir.path)\nprompt_sample_size: 8\nmin_density_ratio: 0.5\nmax_density_ratio: 10\n"
            .write(to: config, atomically: true, encoding: .utf8)
        try TrainBCOCommand.parse(unpairedArgs(out, ["--config", config.path, "--max-steps", "1", "--save-steps", "0"])).run()
        let first = try #require(try rewardMetricLines(out).first?["loss"] as? Double)

        let examples = try UnpairedExample.load(FixturePaths.fixture("kto-trainer/unpaired.jsonl"))
        let rows = try PreferenceTokenizer(directory: modelDir).tokenizeUnpaired(examples, maxLength: 1024, klChunkSize: nil).examples
        let embeddings = try PromptEmbedding.meanPooled(try DecoderModel.load(directory: modelDir), prompts: rows.map(\.prompt))
        let udm = UDMSettings(promptEmbeddings: embeddings, promptSampleSize: 8)
        let clf = try BCOTrainer.fitClassifier(udm, data: rows, seed: 42)
        var weights: [Double] = []
        for i in 0 ..< 4 {
            let p = clf.probability(embeddings[i])
            weights.append(rows[i].label ? 1 : DensityRatioClassifier.weight(probability: p, minDensityRatio: 0.5, maxDensityRatio: 10))
        }
        let expected = log(2.0) * weights.reduce(0, +) / 4
        #expect(abs(first - expected) < 1e-5, "loss \(first), expected \(expected) from weights \(weights)")
        #expect(abs(expected - log(2.0)) > 1e-3, "weights \(weights) should not all be 1")
    }
}
