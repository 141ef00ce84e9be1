// Bookkeeping of the reward-guided search methods on the 6-token table model (FakeModels.swift), against
// hand-computed values: ARGS scores log p + w·r on the top-k, DeAL's lookahead scores and budget, blockwise
// CD's rounds and its identity with best-of-K, Transfer Q*'s value formula (direct and indirect).
// Log-probabilities of `smallTable()` rows (computed by hand in Python's math, float64):
//   after 0: logsumexp 2.7471262052796974 → log p = [−2.74713, −0.74713, −1.74713, −2.44713, −2.34713, −2.24713]
//   after 2: logsumexp 2.7135439411282607 → log p(3) = −0.7135439411282607, log p(4) = −1.7135439411282607
import Foundation
import Testing
@testable import AlignDecoding

/// Token i decodes to "", "a", …, "e".
let letterVocabulary = TokenByteTable(strings: ["", "a", "b", "c", "d", "e"])
let lp0: [Double] = [-2.7471262052796974, -0.7471262052796974, -1.7471262052796974,
                     -2.447126205279697, -2.3471262052796975, -2.2471262052796974]
let lp2to3 = -0.7135439411282607, lp2to4 = -1.7135439411282607

/// No EOS: rows end at max_new_tokens.
func searchParameters(_ maxNewTokens: Int, seed: UInt64 = 0) -> GenerateParameters {
    var p = GenerateParameters()
    p.maxNewTokens = maxNewTokens
    p.seed = seed
    return p
}

func contains(_ letter: String) -> ClosureReward { ClosureReward { _, y in y.contains(letter) ? 1 : 0 } }

@Suite("Search bookkeeping on a table model")
struct SearchBookkeepingTests {
    let model = TableLM(table: smallTable())

    @Test("ARGS scores the top-k as log p + w·r and picks by weight")
    func argsScores() throws {
        let rows = try SearchRows.start(model: model, prompt: [0])
        let config = TokenwiseGuidanceConfig(topK: 3, weight: 1.6)
        let c = try TokenwiseGuidance.score(rows: rows, promptText: "", decoder: letterVocabulary, reward: contains("e"),
                                            config: config, limits: SearchLimits(searchParameters(4)))
        #expect(c.map(\.token) == [1, 2, 5])
        #expect(c.map(\.reward) == [0, 0, 1])
        for (got, want) in zip(c.map(\.score), [lp0[1], lp0[2], lp0[5] + 1.6]) { #expect(abs(got - want) < 1e-6) }
        // w = 1.6: −2.2471 + 1.6 = −0.6471 beats −0.7471; w = 1.4 gives −0.8471 and token 1 wins.
        let heavy = try TokenwiseGuidance.run(model: model, prompt: [0], promptText: "", parameters: searchParameters(1),
                                              decoder: letterVocabulary, reward: contains("e"), config: config)
        #expect(heavy.tokens == [5] && heavy.reward == 1)
        #expect(abs(heavy.logProb - lp0[5]) < 1e-6)
        let light = try TokenwiseGuidance.run(model: model, prompt: [0], promptText: "", parameters: searchParameters(1),
                                              decoder: letterVocabulary, reward: contains("e"),
                                              config: TokenwiseGuidanceConfig(topK: 3, weight: 1.4))
        #expect(light.tokens == [1] && light.reward == 0)
    }

    @Test("ARGS-stochastic draws from softmax(score / T): T → 0 is ARGS-greedy; 400 seeds follow the softmax")
    func argsStochastic() throws {
        func first(_ seed: UInt64, _ t: Double) throws -> Int32 {
            let config = TokenwiseGuidanceConfig(topK: 3, weight: 1.6, selection: .sample, temperature: t)
            return try TokenwiseGuidance.run(model: model, prompt: [0], promptText: "", parameters: searchParameters(1, seed: seed),
                                             decoder: letterVocabulary, reward: contains("e"), config: config).tokens[0]
        }
        #expect(try (0..<20).allSatisfy { try first(UInt64($0), 1e-6) == 5 })
        // Scores [−0.7471, −1.7471, −0.6471] → softmax [0.4044, 0.1488, 0.4469] for tokens [1, 2, 5].
        var counts: [Int32: Int] = [:]
        for seed in 0..<400 { counts[try first(UInt64(seed), 1), default: 0] += 1 }
        #expect(abs(Double(counts[1] ?? 0) / 400 - 0.4044) < 0.07)
        #expect(abs(Double(counts[2] ?? 0) / 400 - 0.1488) < 0.07)
        #expect(abs(Double(counts[5] ?? 0) / 400 - 0.4469) < 0.07)
    }

    @Test("ARGS spends k reward calls per token; w = 0 is greedy decoding")
    func argsBudget() throws {
        let config = TokenwiseGuidanceConfig(topK: 3, weight: 0)
        let r = try TokenwiseGuidance.run(model: model, prompt: [0], promptText: "", parameters: searchParameters(5),
                                          decoder: letterVocabulary, reward: contains("e"), config: config)
        #expect(r.stats.steps == 5 && r.stats.rewardCalls == 15 && r.stats.candidatesScored == 15)
        let greedy = try TokenGenerator(model: model, prompts: [[0]], parameters: searchParameters(5)).run()[0]
        #expect(r.tokens == greedy.tokens)
        #expect(r.tokens == [1, 2, 3, 4, 5])
    }

    @Test("DeAL: lookahead scores c = log P + λ·h by hand, and the budget of a 3-step search")
    func dealScores() throws {
        // b = 1, k = 2, l = 1, λ = 2, h = contains "c", 2 tokens. Step 1: candidates a (rolls out to "ab")
        // and b (rolls out to "bc"): c = −0.74713 vs −1.74713 + 2 → keep "b". Step 2: "bc" (finished,
        // h = 1) scores −1.74713 − 0.71354 + 2 = −0.46067, "bd" −3.46067 → answer "bc".
        let config = DeALConfig(topK: 2, beamWidth: 1, lookahead: 1, lambda: 2)
        let r = try DeAL.run(model: model, prompt: [0], promptText: "", parameters: searchParameters(2),
                             decoder: letterVocabulary, heuristic: contains("c"), config: config)
        #expect(r.tokens == [2, 3] && r.text == "bc" && r.reward == 1)
        #expect(abs(r.logProb - (lp0[2] + lp2to3)) < 1e-6)
        #expect(r.stats.steps == 2 && r.stats.candidatesScored == 4 && r.stats.rolloutTokens == 2)
        // λ = 0.5: "a" wins the first step (−0.74713 > −1.74713 + 0.5).
        let weak = try DeAL.run(model: model, prompt: [0], promptText: "", parameters: searchParameters(2),
                                decoder: letterVocabulary, heuristic: contains("c"),
                                config: DeALConfig(topK: 2, beamWidth: 1, lookahead: 1, lambda: 0.5))
        #expect(weak.tokens.first == 1)
        // b = 2, k = 3, l = 2, 3 tokens: 3 candidates × 2 lookahead tokens, then 6 × 1, then 6 finished × 0.
        let wide = try DeAL.run(model: model, prompt: [0], promptText: "", parameters: searchParameters(3),
                                decoder: letterVocabulary, heuristic: contains("c"),
                                config: DeALConfig(topK: 3, beamWidth: 2, lookahead: 2, lambda: 1))
        #expect(wide.stats.steps == 3 && wide.stats.candidatesScored == 15 && wide.stats.rolloutTokens == 12)
        #expect(wide.tokens.count == 3)
    }

    @Test("DeAL with λ = 0, no lookahead and one beam is greedy decoding")
    func dealGreedy() throws {
        let r = try DeAL.run(model: model, prompt: [3], promptText: "", parameters: searchParameters(6),
                             decoder: letterVocabulary, heuristic: contains("c"),
                             config: DeALConfig(topK: 4, beamWidth: 1, lookahead: 0, lambda: 0))
        let greedy = try TokenGenerator(model: model, prompts: [[3]], parameters: searchParameters(6)).run()[0]
        #expect(r.tokens == greedy.tokens)
    }

    @Test("blockwise CD: rounds of K blocks of M tokens; M ≥ max_new_tokens is best-of-K")
    func blockwise() throws {
        var p = searchParameters(5, seed: 7)
        p.doSample = true
        p.topK = 0
        let table = TableLM(table: wordTable(), mix: 0.2)
        let reward = try KeywordReward(keywords: ["cat", "dog"])
        let cd = try BlockwiseControlledDecoding.run(model: table, prompt: [1], promptText: "", parameters: p,
                                                     decoder: wordVocabulary, value: reward,
                                                     config: BlockwiseCDConfig(numSamples: 3, blockSize: 2))
        // 5 tokens in blocks 2 + 2 + 1, 3 candidates each.
        #expect(cd.tokens.count == 5)
        #expect(cd.stats.steps == 3 && cd.stats.rewardCalls == 9 && cd.stats.rolloutTokens == 15)
        let oneRound = try BlockwiseControlledDecoding.run(model: table, prompt: [1], promptText: "", parameters: p,
                                                           decoder: wordVocabulary, value: reward,
                                                           config: BlockwiseCDConfig(numSamples: 4, blockSize: 5))
        let bon = try BestOfN.run(model: table, prompt: [1], promptText: "", n: 4, parameters: p, decoder: wordVocabulary,
                                  reward: reward)
        #expect(oneRound.tokens == bon.best.row.tokens)
        #expect(oneRound.reward == bon.best.reward)
        #expect(oneRound.stats.steps == 1 && oneRound.stats.rolloutTokens == 20)
    }

    @Test("Transfer Q*: score = log π_sft + Q̂/α with Q̂ from the baseline's greedy rollout")
    func transferQStar() throws {
        // The baseline prefers (i + 3) mod 6 after token i: from "a" it rolls out "d", from "b" it rolls out "e".
        var shifted = [[Float]](repeating: [Float](repeating: 0, count: 6), count: 6)
        for i in 0..<6 { shifted[i][(i + 3) % 6] = 3 }
        let baseline = TableLM(table: shifted)
        let config = TransferQStarConfig(topK: 2, alpha: 0.5)
        let r = try TransferQStar.run(model: model, baseline: baseline, prompt: [0], promptText: "",
                                      parameters: searchParameters(2), decoder: letterVocabulary, reward: contains("e"),
                                      config: config)
        // Step 1: Q̂(a) = r("ad") = 0, Q̂(b) = r("be") = 1: −0.74713 vs −1.74713 + 1/0.5 → "b".
        // Step 2: no room to roll out; Q̂ = r("bc") = r("bd") = 0 → the likelier "c".
        #expect(r.tokens == [2, 3])
        #expect(r.stats.steps == 2 && r.stats.candidatesScored == 4 && r.stats.rewardCalls == 4 && r.stats.rolloutTokens == 2)
        #expect(abs(r.logProb - (lp0[2] + lp2to3)) < 1e-6)
        // Larger α stays with π_sft: −1.74713 + 1/2 < −0.74713.
        let loose = try TransferQStar.run(model: model, baseline: baseline, prompt: [0], promptText: "",
                                          parameters: searchParameters(2), decoder: letterVocabulary,
                                          reward: contains("e"), config: TransferQStarConfig(topK: 2, alpha: 2))
        #expect(loose.tokens.first == 1)
    }

    @Test("Transfer Q* indirect: self-normalised weights exp(r/α − log ρ_BL/π_sft)")
    func indirectWeights() throws {
        // log w = [1/0.5 − 0.5, 0/0.5 + 0.2] = [1.5, 0.2] → Q̂ = e^1.5 / (e^1.5 + e^0.2) = σ(1.3).
        let config = TransferQStarConfig(alpha: 0.5, transfer: .indirect)
        let q = TransferQStar.qEstimate(rewards: [1, 0], logRatios: [0.5, -0.2], config: config)
        #expect(abs(q - 0.7858349830425586) < 1e-12)
        let direct = TransferQStar.qEstimate(rewards: [1, 0], logRatios: [0.5, -0.2], config: TransferQStarConfig())
        #expect(direct == 0.5)
    }

    @Test("rollout leaves the rows unchanged; teacher forcing reproduces the rollout's log-probs")
    func rolloutRestores() throws {
        let table = TableLM(table: wordTable(), mix: 0.3)
        let limits = SearchLimits(searchParameters(10))
        var rows = try SearchRows.start(model: table, prompt: [1, 2]).expanded(parents: [0, 0, 0], tokens: [3, 4, 5],
                                                                               limits: limits)
        let before = (rows.generated, rows.logits)
        let policy = SearchRows<TableLM>.RolloutPolicy.sample(seed: 3, streamBase: 0, positionBase: 0, temperature: 1)
        let out = try rows.rollout(length: 4, policy: policy, limits: limits)
        #expect(rows.generated == before.0 && rows.logits == before.1)
        #expect(rows.cache == [[1, 2, 3], [1, 2, 4], [1, 2, 5]])
        #expect(out.continuations.allSatisfy { $0.count == 4 })
        let forced = try rows.teacherForcedLogProbs(out.continuations, limits: limits)
        for (a, b) in zip(forced, out.logProbs) { #expect(abs(a - b) < 1e-9) }
    }

    @Test("max_new_tokens 0 gives an empty completion; bad configs are typed errors")
    func edges() throws {
        let reward = contains("e")
        let none = searchParameters(0)
        let a = try TokenwiseGuidance.run(model: model, prompt: [0], promptText: "", parameters: none,
                                          decoder: letterVocabulary, reward: reward)
        let d = try DeAL.run(model: model, prompt: [0], promptText: "", parameters: none, decoder: letterVocabulary,
                             heuristic: reward)
        let c = try BlockwiseControlledDecoding.run(model: model, prompt: [0], promptText: "", parameters: none,
                                                    decoder: letterVocabulary, value: reward)
        let t = try TransferQStar.run(model: model, baseline: model, prompt: [0], promptText: "", parameters: none,
                                      decoder: letterVocabulary, reward: reward)
        for r in [a, d, c, t] { #expect(r.tokens.isEmpty && r.text == "" && r.finishReason == .length) }
        let p = searchParameters(2)
        #expect(throws: AlignDecodingError.self) {
            try TokenwiseGuidance.run(model: model, prompt: [0], promptText: "", parameters: p, decoder: letterVocabulary,
                                      reward: reward, config: TokenwiseGuidanceConfig(topK: 0))
        }
        #expect(throws: AlignDecodingError.self) {
            try DeAL.run(model: model, prompt: [0], promptText: "", parameters: p, decoder: letterVocabulary,
                         heuristic: reward, config: DeALConfig(beamWidth: 0))
        }
        #expect(throws: AlignDecodingError.self) {
            try BlockwiseControlledDecoding.run(model: model, prompt: [0], promptText: "", parameters: p,
                                                decoder: letterVocabulary, value: reward,
                                                config: BlockwiseCDConfig(temperature: 0))
        }
        #expect(throws: AlignDecodingError.self) {
            try TransferQStar.run(model: model, baseline: TableLM(table: [[0, 1], [1, 0]]), prompt: [0], promptText: "",
                                  parameters: p, decoder: letterVocabulary, reward: reward)
        }
        #expect(throws: AlignDecodingError.self) {
            try SelfConsistency.run(model: model, prompt: [0], samples: 3, parameters: p, decoder: letterVocabulary,
                                    extractor: .lastNumber)  // greedy with 3 samples
        }
    }
}
