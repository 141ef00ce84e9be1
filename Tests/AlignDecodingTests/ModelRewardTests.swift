// ModelReward on the tiny LlamaForSequenceClassification / Qwen2ForSequenceClassification fixtures
// (Tests/Fixtures/reward-models, scripts/fixtures/make_reward_model_fixtures.py): with a toy encoder that
// reads space-separated ids, the reward of a fixture row equals transformers' score of that row; batched
// scoring equals one-by-one scoring; the label picks the head output; the EOS text is appended once.
import Foundation
import Testing
import AlignModels
import AlignTestSupport
@testable import AlignDecoding

struct ModelRewardRef: Decodable {
    struct Case: Decodable { let input_ids: [[Int32]]; let scores: [[Double]] }
    let cases: [String: Case]
}

/// "5 6 7" → [5, 6, 7].
func spaceSeparatedIDs(_ s: String) throws -> [Int32] {
    try s.split(separator: " ").map { piece in
        guard let v = Int32(piece) else { throw AlignDecodingError.invalidReward(reason: "not an id: \(piece)") }
        return v
    }
}

@Suite("ModelReward")
struct ModelRewardTests {
    func fixture(_ name: String) throws -> (SequenceClassifier, ModelRewardRef) {
        let dir = FixturePaths.fixture("reward-models/\(name)")
        let ref = try JSONDecoder().decode(ModelRewardRef.self, from: Data(contentsOf: dir.appendingPathComponent("reference.json")))
        return (try SequenceClassifier.load(directory: dir), ref)
    }

    @Test("r(x, y) of a fixture row equals transformers' score; batched equals one by one")
    func matchesTransformers() throws {
        let (model, ref) = try fixture("llama")
        let c = try #require(ref.cases["right"])
        let reward = try ModelReward(model: model, encode: spaceSeparatedIDs)
        // Rows 0 and 1 (lengths 10 and 7) split after 3 ids into prompt and completion.
        let rows = [0, 1].map { c.input_ids[$0].prefix { $0 != 0 } }
        let prompt = rows[0].prefix(3).map(String.init).joined(separator: " ")
        let completions = [rows[0], rows[1]].map { " " + $0.dropFirst(3).map(String.init).joined(separator: " ") }
        let one = try reward.score(prompt: prompt, completion: completions[0])
        #expect(Swift.abs(one - c.scores[0][0]) <= 1e-5 * Swift.max(1, Swift.abs(c.scores[0][0])), "\(one) vs \(c.scores[0][0])")
        let prompt1 = rows[1].prefix(3).map(String.init).joined(separator: " ")
        let batched = try reward.scores(prompt: prompt1, completions: [completions[1], completions[1] + " 5"])
        let single = try reward.score(prompt: prompt1, completion: completions[1])
        #expect(Swift.abs(batched[0] - c.scores[1][0]) <= 1e-5 * Swift.max(1, Swift.abs(c.scores[1][0])))
        #expect(Swift.abs(batched[0] - single) <= 1e-6)
    }

    @Test("label selects the head output; an absent label is an error")
    func labels() throws {
        let (model, ref) = try fixture("qwen2")
        let c = try #require(ref.cases["right"])
        let text = c.input_ids[0].map(String.init).joined(separator: " ")
        for label in [0, 1] {
            let r = try ModelReward(model: model, label: label, encode: spaceSeparatedIDs).score(prompt: text, completion: "")
            #expect(Swift.abs(r - c.scores[0][label]) <= 1e-5 * Swift.max(1, Swift.abs(c.scores[0][label])))
        }
        #expect(throws: AlignDecodingError.invalidReward(reason: "label 2 is not an output of a head with num_labels = 2")) {
            try ModelReward(model: model, label: 2, encode: spaceSeparatedIDs)
        }
    }

    @Test("EOS is appended unless the completion ends with it (TRL's add_eos)")
    func eos() throws {
        let (model, _) = try fixture("llama")
        let reward = try ModelReward(model: model, eosToken: " 2", encode: spaceSeparatedIDs)
        #expect(reward.text(prompt: "5 6", completion: " 7") == "5 6 7 2")
        #expect(reward.text(prompt: "5 6", completion: " 7 2") == "5 6 7 2")
        #expect(try reward.score(prompt: "5 6", completion: " 7") == (try reward.score(prompt: "5 6", completion: " 7 2")))
        #expect(throws: AlignDecodingError.tokenOutOfVocabulary(parameter: "reward text", token: 500, vocabularySize: 128)) {
            try reward.score(prompt: "5", completion: " 500")
        }
    }
}
