// Loading the scalar-head parity fixtures in Tests/Fixtures/reward-models/ made by
// scripts/fixtures/make_reward_model_fixtures.py (transformers 5.23.0, torch 2.15.0, peft 0.21.2):
// tiny random LlamaForSequenceClassification (num_labels 1) and Qwen2ForSequenceClassification
// (num_labels 2) checkpoints, reference.json (inputs, pooled index, scores, loss) and grads.safetensors.
import Foundation
import AlignTensor
import AlignTestSupport
@testable import AlignModels

/// One batch of reference.json.
struct ScoreCase: Decodable {
    let input_ids: [[Int32]]
    let attention_mask: [[Int32]]
    let pooled_index: [Int]
    let scores: [[Double]]
    let loss_weights: [[Float]]
    let loss: Double
}

/// reference.json of a scalar-head fixture.
struct ScoreReference: Decodable {
    let pad_token_id: Int
    let num_labels: Int
    let cases: [String: ScoreCase]
}

/// peft_scores.json / peft_check.json: PEFT's scores for the "right" batch.
struct PeftScores: Decodable {
    let input_ids: [[Int32]]
    let attention_mask: [[Int32]]
    let scores: [[Double]]
}

enum RewardFixtures {
    static let names = ["llama", "qwen2"]

    static func folder(_ name: String) -> URL { FixturePaths.fixture("reward-models").appendingPathComponent(name) }

    static func reference(_ name: String) throws -> ScoreReference {
        try JSONDecoder().decode(ScoreReference.self, from: Data(contentsOf: folder(name).appendingPathComponent("reference.json")))
    }

    static func peftScores(_ folder: URL, _ file: String) throws -> PeftScores {
        try JSONDecoder().decode(PeftScores.self, from: Data(contentsOf: folder.appendingPathComponent(file)))
    }

    /// max |a − b| / max(max |b|, 1) over the flattened scores.
    static func relativeScoreError(_ ours: Tensor, _ expected: [[Double]]) -> Double {
        let e = expected.flatMap { $0 }
        guard ours.count == e.count else { return .infinity }
        let scale = max(e.map(abs).max() ?? 0, 1)
        return zip(ours.scalars, e).map { abs(Double($0) - $1) }.max().map { $0 / scale } ?? 0
    }
}
