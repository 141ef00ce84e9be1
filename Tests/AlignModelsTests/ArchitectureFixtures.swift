// Loading the per-architecture parity fixtures in Tests/Fixtures/models/<name>/ made by
// scripts/fixtures/make_models_fixtures.py (transformers 5.23.0, torch 2.15.0): the checkpoint,
// reference.json (inputs, labels, mean CE loss, transformers' own padding checks), logits.safetensors
// ([B, T, V] per case) and grads.safetensors (d loss / d param, "<case>/<param name>").
import Foundation
import AlignTensor
import AlignTestSupport
@testable import AlignModels

/// One input case of reference.json.
struct ArchitectureCase: Decodable {
    let input_ids: [[Int32]]
    let attention_mask: [[Int32]]
    let labels: [[Int32]]
    let loss: Double
    let cumsum_positions: Bool
}

/// reference.json of an architecture fixture.
struct ArchitectureReference: Decodable {
    let cases: [String: ArchitectureCase]
    let right_padded_vs_per_example_maxdiff: Double
    let left_padded_default_positions_vs_per_example_maxdiff: Double
    let left_padded_cumsum_positions_vs_per_example_maxdiff: Double
}

/// A fixture folder, its model loaded from the checkpoint and its reference outputs.
struct ArchitectureFixture {
    static let names = ["llama3", "llama2", "mistral", "qwen2", "qwen3", "smollm", "gpt2"]
    static let gradientCases = ["single", "right", "left"]

    let name: String
    let directory: URL
    let model: DecoderModel
    let reference: ArchitectureReference
    let logits: SafetensorsFile

    init(_ name: String) throws {
        self.name = name
        directory = FixturePaths.fixture("models").appendingPathComponent(name)
        model = try DecoderModel.load(directory: directory)
        reference = try JSONDecoder().decode(ArchitectureReference.self,
                                             from: Data(contentsOf: directory.appendingPathComponent("reference.json")))
        logits = try SafetensorsFile(url: directory.appendingPathComponent("logits.safetensors"))
    }

    func gradients() throws -> SafetensorsFile {
        try SafetensorsFile(url: directory.appendingPathComponent("grads.safetensors"))
    }

    /// Our logits for a case, with the case's mask and position convention.
    func ourLogits(_ c: ArchitectureCase, cache: KVCache? = nil) throws -> Tensor {
        let positions = c.cumsum_positions ? DecoderModel.positionIDs(attentionMask: c.attention_mask) : nil
        return try model.logits(c.input_ids, attentionMask: c.attention_mask, positions: positions, cache: cache)
    }
}

/// Max |a − b| over the rows (b, t) whose mask is 1, for [B, T, V] logits.
func maxAbsDiff(_ a: Tensor, _ b: Tensor, mask: [[Int32]]) -> Float {
    let v = a.shape[2], t = a.shape[1]
    let x = a.scalars, y = b.scalars
    var worst: Float = 0
    for (i, row) in mask.enumerated() {
        for j in 0 ..< t where row[j] != 0 {
            let o = (i * t + j) * v
            for k in 0 ..< v { worst = max(worst, abs(x[o + k] - y[o + k])) }
        }
    }
    return worst
}

/// max|actual − expected| / max|expected| (a tensor-level relative error).
func relativeError(_ actual: [Float], _ expected: [Float]) -> Float {
    guard actual.count == expected.count else { return .infinity }
    let scale = expected.reduce(Float(0)) { max($0, abs($1)) }
    let diff = zip(actual, expected).reduce(Float(0)) { max($0, abs($1.0 - $1.1)) }
    return scale == 0 ? diff : diff / scale
}

extension DecoderModel {
    /// Gradients under the checkpoint's names (GPT-2's q/k/v gradients fused into c_attn like the weights).
    func storedGradients() -> [(String, Tensor?)] {
        let grads = Dictionary(uniqueKeysWithValues: namedParameters().map { ($0.0, $0.1.grad) })
        return storedParameters().map { name, _ in
            guard name.contains("attn.c_attn.") else {
                return (name, grads[name.replacingOccurrences(of: "attn.c_proj", with: "attn.o_proj")] ?? nil)
            }
            let parts = ["q_proj", "k_proj", "v_proj"].map { grads[name.replacingOccurrences(of: "c_attn", with: $0)] ?? nil }
            let present = parts.compactMap { $0 }
            return (name, present.count == 3 ? Self.concatColumns(present) : nil)
        }
    }
}
