// pad_token_id as the token embedding's padding_idx (transformers' Llama/Mistral/Qwen set
// nn.Embedding(vocab, hidden, padding_idx=config.pad_token_id); GPT-2 sets none): the lookup gives that row
// no gradient, a tied LM head still does, and a pad id outside the table is a config error.
import Foundation
import Testing
import AlignTensor
import AlignTestSupport
@testable import AlignModels

@Suite("Embedding padding index")
struct EmbeddingPaddingIndexTests {
    /// d(sum of logits)/d(embed_tokens) for ids where the pad id 0 is a real position, rows 0 and 5.
    static func embeddingGradRows(_ model: DecoderModel) throws -> (pad: [Float], other: [Float]) {
        model.setTrainable(true)
        model.parameters.forEach { $0.zeroGrad() }
        try model.logits([[5, 0, 7, 9]]).sum().backward()
        let grad = try #require(model.storedGradients().first { $0.0 == "model.embed_tokens.weight" }?.1)
        let c = grad.shape[1]
        return (Array(grad.scalars[0 ..< c]), Array(grad.scalars[5 * c ..< 6 * c]))
    }

    @Test("untied Llama: the pad row gets no gradient from the lookup, other rows do")
    func untied() throws {
        let model = try DecoderModel.load(directory: FixturePaths.fixture("models").appendingPathComponent("llama2"))
        #expect(model.spec.embeddingPaddingIndex == 0)
        let rows = try Self.embeddingGradRows(model)
        #expect(rows.pad.allSatisfy { $0 == 0 })
        #expect(rows.other.contains { $0 != 0 })
    }

    @Test("tied SmolLM: the pad row still trains through the LM head")
    func tied() throws {
        let model = try DecoderModel.load(directory: FixturePaths.fixture("models").appendingPathComponent("smollm"))
        #expect(model.spec.embeddingPaddingIndex == 0)
        let rows = try Self.embeddingGradRows(model)
        #expect(rows.pad.contains { $0 != 0 })
    }

    @Test("GPT-2 has no padding index")
    func gpt2() throws {
        let model = try DecoderModel.load(directory: FixturePaths.fixture("models").appendingPathComponent("gpt2"))
        #expect(model.spec.embeddingPaddingIndex == nil)
    }

    /// A copy of the llama2 fixture with pad_token_id replaced.
    static func llama2(padTokenId: Int) throws -> URL {
        let source = FixturePaths.fixture("models").appendingPathComponent("llama2")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pad-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: source, to: dir)
        let configURL = dir.appendingPathComponent("config.json")
        var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as? [String: Any])
        config["pad_token_id"] = padTokenId
        try JSONSerialization.data(withJSONObject: config).write(to: configURL)
        return dir
    }

    @Test("a negative pad id wraps once as torch's; one outside the table is an error naming the key")
    func range() throws {
        let wrapped = try Self.llama2(padTokenId: -1)
        defer { try? FileManager.default.removeItem(at: wrapped) }
        let model = try DecoderModel.load(directory: wrapped)
        #expect(model.spec.embeddingPaddingIndex == Int32(model.spec.vocabSize - 1))

        let outside = try Self.llama2(padTokenId: 1_000_000)
        defer { try? FileManager.default.removeItem(at: outside) }
        do {
            _ = try DecoderModel.load(directory: outside)
            Issue.record("pad_token_id 1000000 loaded")
        } catch let AlignModelsError.invalidConfig(_, key, _) {
            #expect(key == "pad_token_id")
        }
    }
}
