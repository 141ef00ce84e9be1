// Steered generation on the tiny Llama: 16-token greedy continuations with scale · direction added after
// block L (prefill and every cached decoding step) equal transformers' `generate` with a forward hook
// (Tests/Fixtures/steering/steering.json from scripts/fixtures/steering_fixture.py); and the steering sweep
// (SteeringSweep): one row per scale, the scale-0 row equal to the unsteered model's own values computed
// here by hand, the model's steering restored afterwards.
import Foundation
import Testing
import AlignDecoding
import AlignModels
import AlignTensor
import AlignTokenizers
import AlignTestSupport

@Suite("Steered generation and the steering sweep")
struct SteeringGenerationTests {
    static func greedy(_ n: Int) -> GenerateParameters {
        var p = GenerateParameters()
        p.maxNewTokens = n
        p.eosTokenIds = [2]
        p.padTokenId = 0
        return p
    }

    @Test("greedy 16 tokens under steering equal transformers' generate with a forward hook", arguments: 0 ..< 2)
    func greedyParity(index: Int) throws {
        let f = try SteeringFixture.load()
        let c = f.greedy[index]
        let model = try SteeringFixture.freshModel()
        let d = try SteeringFixture.direction()
        for s in f.greedy_scales {
            let expected = try #require(c.scales[String(format: "%.1f", s)])
            try model.setSteering([SteeringVector(layer: f.layer, direction: d, scale: s)])
            let row = try TokenGenerator(model: model, prompts: [c.prompt_ids], parameters: Self.greedy(16)).run()[0]
            #expect(c.prompt_ids + row.tokens == expected.sequence, "scale \(s)")
        }
        try model.setSteering([])
        let plain = try TokenGenerator(model: model, prompts: [c.prompt_ids], parameters: Self.greedy(16)).run()[0]
        #expect(c.prompt_ids + plain.tokens == c.unsteered.sequence)
        #expect(c.unsteered.sequence != c.scales["8.0"]?.sequence, "steering changes the continuation")
    }

    /// Σ log-softmax(logits)[completion] by a full forward, in Float64 — the sweep's value computed another way.
    static func referenceLogProb(_ model: DecoderModel, prompt: [Int32], completion: [Int32]) throws -> Double {
        let ids = prompt + completion
        let logits = try Autograd.withoutGrad { try model.logits([ids]) }.scalars  // [1, T, V]
        let v = model.vocabularySize
        var total = 0.0
        for (k, token) in completion.enumerated() {
            let row = logits[(prompt.count - 1 + k) * v ..< (prompt.count + k) * v].map(Double.init)
            let m = row.max() ?? 0
            total += row[Int(token)] - m - log(row.reduce(0) { $0 + exp($1 - m) })
        }
        return total
    }

    @Test("sweep: one row per scale; scale 0 equals the unsteered model's reward and log-prob; steering restored")
    func sweep() throws {
        let f = try SteeringFixture.load()
        let model = try SteeringFixture.freshModel()
        let tokenizer = try Tokenizer(contentsOf: FixturePaths.shared("models/tiny-llama/tokenizer.json"))
        let texts = f.greedy.map(\.prompt), ids = f.greedy.map(\.prompt_ids)
        let reward = try KeywordReward(keywords: ["e", "a", "s"], mode: .include)
        let kept = SteeringVector(layer: 3, direction: [Float](repeating: 0.01, count: 256), scale: 1)
        try model.setSteering([kept])
        let sweep = SteeringSweep(direction: try SteeringFixture.direction(), layer: f.layer, scales: [0, 8], parameters: Self.greedy(6))
        let rows = try sweep.run(model: model, prompts: texts, promptIDs: ids, decoder: tokenizer, reward: reward)
        #expect(model.steering.terms == [kept], "the model's own steering is back")

        try model.setSteering([])
        let plain = try TokenGenerator(model: model, prompts: ids, parameters: Self.greedy(6), decoder: tokenizer).run()
        var rewardSum = 0.0, logProb = 0.0
        for i in texts.indices {
            rewardSum += reward.score(prompt: texts[i], completion: plain[i].text)
            logProb += try Self.referenceLogProb(model, prompt: ids[i], completion: plain[i].tokens)
        }
        let tokens = Double(plain.map(\.tokens.count).reduce(0, +))
        #expect(rows.map(\.scale) == [0, 8])
        #expect(rows[0].meanReward == rewardSum / 2)
        #expect(abs(rows[0].referenceLogProb - logProb / tokens) <= 1e-4, "\(rows[0].referenceLogProb) vs \(logProb / tokens)")
        #expect(rows[0].referenceMatch == 1)
        #expect(rows[0].meanTokens == tokens / 2)
        #expect(abs(rows[0].referencePerplexity - exp(-rows[0].referenceLogProb)) <= 1e-12)
        // At scale 8 both greedy continuations leave the unsteered ones (fixture), and the steered model
        // assigns the unsteered answers less probability.
        #expect(rows[1].referenceMatch == 0)
        #expect(rows[1].referenceLogProb < rows[0].referenceLogProb)
    }

    @Test("sweep arguments out of range are errors")
    func sweepErrors() throws {
        let model = try SteeringFixture.freshModel()
        let tokenizer = try Tokenizer(contentsOf: FixturePaths.shared("models/tiny-llama/tokenizer.json"))
        let reward = try KeywordReward(keywords: ["a"], mode: .include)
        let d = [Float](repeating: 0, count: 256)
        #expect(throws: AlignDecodingError.self) {
            try SteeringSweep(direction: d, layer: 0, scales: [], parameters: Self.greedy(2))
                .run(model: model, prompts: ["a"], promptIDs: [[5]], decoder: tokenizer, reward: reward)
        }
        #expect(throws: AlignDecodingError.self) {
            try SteeringSweep(direction: d, layer: 0, scales: [1], parameters: Self.greedy(2))
                .run(model: model, prompts: ["a", "b"], promptIDs: [[5]], decoder: tokenizer, reward: reward)
        }
        #expect(throws: AlignModelsError.invalidSteering(term: 0, reason: "direction has 3 values, hidden_size is 256")) {
            try SteeringSweep(direction: [1, 2, 3], layer: 0, scales: [1], parameters: Self.greedy(2))
                .run(model: model, prompts: ["a"], promptIDs: [[5]], decoder: tokenizer, reward: reward)
        }
        #expect(model.steering.isEmpty)
    }
}
