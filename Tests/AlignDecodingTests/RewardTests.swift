// Programmatic rewards, their combinations (weighted sum; log-sigmoid transform and sum-as-AND from
// "Transforming and Combining Rewards", arXiv 2402.00742), InfAlign calibration, and best-of-N on
// a fake model with a keyword reward — hand-computed values throughout.
import Foundation
import Testing
import AlignDecoding

/// A 6-token word vocabulary and a fairly flat table over it (EOS = 0 is unlikely early).
let wordVocabulary = TokenByteTable(strings: ["", "the ", "cat ", "dog ", "sat ", "ran "])
func wordTable() -> [[Float]] {
    let row: [Float] = [-1.0, 0.6, 0.0, 0.5, 0.2, 0.3]
    return (0..<6).map { i in row.enumerated().map { j, x in j == i ? x - 0.5 : x } }
}

@Suite("Rewards and best-of-N")
struct RewardTests {
    @Test("keyword, length and regex rewards score hand-checked texts")
    func programmatic() throws {
        let include = try KeywordReward(keywords: ["cat", "Dog", "fish"])
        #expect(include.score(prompt: "", completion: "the CAT saw a dog") == 2.0 / 3.0)
        let exclude = try KeywordReward(keywords: ["cat", "fish"], mode: .exclude, caseSensitive: true)
        #expect(exclude.score(prompt: "", completion: "the CAT saw a cat") == 0.5)
        let words = try LengthReward(range: 2...3)
        #expect(words.score(prompt: "", completion: " a  b\nc ") == 1)
        #expect(words.score(prompt: "", completion: "a b c d") == 0)
        let chars = try LengthReward(range: 0...2, unit: .characters)
        #expect(chars.score(prompt: "", completion: "éé") == 1)
        let search = try RegexReward(pattern: "[0-9]+ cats?")
        #expect(search.score(prompt: "", completion: "I have 12 cats.") == 1)
        let full = try RegexReward(pattern: "[0-9]+ cats?", mode: .fullMatch)
        #expect(full.score(prompt: "", completion: "I have 12 cats.") == 0)
        #expect(full.score(prompt: "", completion: "12 cats") == 1)
        #expect(throws: AlignDecodingError.self) { try RegexReward(pattern: "([a-") }
        #expect(throws: AlignDecodingError.self) { try KeywordReward(keywords: []) }
    }

    @Test("weighted sum, log-sigmoid transform and sum-as-AND")
    func combinations() throws {
        let two = ClosureReward { _, _ in 2 }
        let half = ClosureReward { _, _ in 0.5 }
        let sum = try WeightedSumReward([(two, 0.25), (half, -2)])
        #expect(try sum.score(prompt: "p", completion: "y") == 0.5 - 1)
        // log σ(2 − 1) = −log(1 + e^{−1}) = −0.31326168751822286
        let transformed = LogSigmoidReward(two, reference: 1)
        #expect(abs(try transformed.score(prompt: "p", completion: "y") - (-0.31326168751822286)) < 1e-15)
        #expect(abs(LogSigmoidReward.logSigmoid(-800) - (-800)) < 1e-12)  // no overflow far out
        // AND: log σ(2 − 1) + log σ(0.5 − 3) = −0.31326 + (−2.5 − log(1 + e^{−2.5})) = −2.89192…
        let and = try RewardCombination.and([(two, { _ in 1 }), (half, { _ in 3 })])
        let expected = -0.31326168751822286 + (-2.5 - log1p(exp(-2.5)))
        #expect(abs(try and.score(prompt: "p", completion: "y") - expected) < 1e-12)
    }

    @Test("InfAlign calibration is the empirical CDF of reference rewards")
    func calibration() throws {
        let cal = try RewardCalibration(references: ["p": [0.9, 0.1, 0.5, 0.5]])
        #expect(try cal.quantile(0.5, prompt: "p") == 0.75)
        #expect(try cal.quantile(0.0, prompt: "p") == 0)
        #expect(try cal.quantile(0.3, prompt: "p") == 0.25)
        #expect(try cal.quantile(2.0, prompt: "p") == 1)
        #expect(throws: AlignDecodingError.self) { try cal.quantile(0.5, prompt: "other") }
        let calibrated = CalibratedReward(ClosureReward { _, y in Double(y.count) / 10 }, calibration: cal)
        #expect(try calibrated.score(prompt: "p", completion: "12345") == 0.75)
        #expect(abs(RewardCalibration.exponential(0.5, t: 2) - exp(1)) < 1e-15)
    }

    @Test("best-of-8 with a keyword reward beats plain sampling's mean at equal seed budget")
    func bestOfN() throws {
        var p = GenerateParameters()
        p.doSample = true
        p.topK = 0
        p.maxNewTokens = 4
        p.eosTokenIds = [0]
        let reward = try KeywordReward(keywords: ["cat"])
        let model = TableLM(table: wordTable(), mix: 0.2)
        var bestTotal = 0.0, plainTotal = 0.0
        for seed in UInt64(0)..<5 {
            p.seed = seed
            let result = try BestOfN.run(model: model, prompt: [1], promptText: "the ", n: 8, parameters: p,
                                         decoder: wordVocabulary, reward: reward)
            // Bookkeeping: 8 candidates, exactly the rows of a plain 8-row sampling run, scored by the reward.
            let plain = try TokenGenerator(model: model, prompts: Array(repeating: [1], count: 8), parameters: p,
                                           decoder: wordVocabulary).run()
            #expect(result.candidates.map(\.row) == plain)
            #expect(result.candidates.map(\.reward) == plain.map { reward.score(prompt: "", completion: $0.text) })
            let maxReward = result.candidates.map(\.reward).max() ?? -1
            #expect(result.best.reward == maxReward)
            #expect(result.candidates.firstIndex { $0.reward == maxReward } == result.bestIndex)
            bestTotal += result.best.reward
            plainTotal += plain.map { reward.score(prompt: "", completion: $0.text) }.reduce(0, +) / 8
        }
        #expect(bestTotal / 5 > plainTotal / 5, "best-of-8 mean \(bestTotal / 5) vs sampling mean \(plainTotal / 5)")
    }

    @Test("calibrated best-of-N reports the quantile of the chosen reward among reference samples")
    func calibratedBestOfN() throws {
        var p = GenerateParameters()
        p.doSample = true
        p.topK = 0
        p.maxNewTokens = 4
        p.eosTokenIds = [0]
        let model = TableLM(table: wordTable(), mix: 0.2)
        let length = ClosureReward { _, y in Double(y.count) }
        var ref = p
        ref.seed = 1000
        let refs = try BestOfN.referenceRewards(model: model, prompt: [1], promptText: "x", m: 16, parameters: ref,
                                                decoder: wordVocabulary, reward: length)
        #expect(refs.count == 16)
        let cal = try RewardCalibration(references: ["x": refs])
        let result = try BestOfN.run(model: model, prompt: [1], promptText: "x", n: 4, parameters: p,
                                     decoder: wordVocabulary, reward: CalibratedReward(length, calibration: cal))
        let raw = Double(result.best.row.text.count)
        #expect(result.best.reward == Double(refs.filter { $0 <= raw }.count) / 16)
        #expect(result.candidates.allSatisfy { $0.reward >= 0 && $0.reward <= 1 })
    }
}

@Suite("Implicit DPO reward")
struct ImplicitDPORewardTests {
    @Test("β·(log π − log π_ref) on two table models, by hand")
    func handComputed() throws {
        // Policy: after any token p = [.1, .6, .3]; reference: p = [.2, .4, .4]. Completion "1 2" after "0":
        // log π = ln .6 + ln .3, log π_ref = ln .4 + ln .4 → r = 0.5 · ln(.18 / .16).
        let policyRow: [Float] = [logf(0.1), logf(0.6), logf(0.3)]
        let refRow: [Float] = [logf(0.2), logf(0.4), logf(0.4)]
        let policy = TableLM(table: Array(repeating: policyRow, count: 3))
        let reference = TableLM(table: Array(repeating: refRow, count: 3))
        let encode: (String) throws -> [Int32] = { $0.split(separator: " ").compactMap { Int32($0) } }
        let reward = try ImplicitDPOReward(policy: policy, reference: reference, beta: 0.5, encode: encode)
        #expect(abs(try reward.score(prompt: "0", completion: "1 2") - 0.5 * log(0.18 / 0.16)) < 1e-6)
        #expect(try reward.score(prompt: "0", completion: "") == 0)
        #expect(throws: AlignDecodingError.tokenOutOfVocabulary(parameter: "completion", token: 7, vocabularySize: 3)) {
            try reward.score(prompt: "0", completion: "7")
        }
        // A history-dependent model: the second token's distribution depends on the first.
        let mixed = TableLM(table: [[0, 1, 2], [2, 0, 1], [1, 2, 0]], mix: 1)
        let lp = try SequenceLogProb.compute(model: mixed, prompt: [0], completion: [2, 1])
        // step 1 logits = table[0] = [0,1,2]; step 2 logits = table[2] + table[0] = [1,3,2].
        let e1 = exp(1.0), e2 = exp(2.0), e3 = exp(3.0)
        let expected: Double = (2 - log(1 + e1 + e2)) + (3 - log(e1 + e3 + e2))
        #expect(abs(lp - expected) < 1e-6)
    }
}
