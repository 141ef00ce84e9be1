// Seeded random initialization (DecoderModel+Init.swift) on the tiny Llama's config.json: transformers'
// rules — Linear/Embedding ~ N(0, initializer_range), norms 1, the pad row of the embedding zeroed —
// deterministic for a seed, different across seeds, and initializer_range read from the file.
import AlignModels
import AlignTensor
import AlignTestSupport
import Foundation
import Testing

@Suite("Decoder random initialization")
struct DecoderInitTests {
    func configFolder(_ json: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("alignkit-init-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(json.utf8).write(to: dir.appendingPathComponent("config.json"))
        return dir
    }

    func smallConfig(range: String) -> String {
        """
        {"model_type": "llama", "vocab_size": 64, "hidden_size": 32, "intermediate_size": 48, "num_hidden_layers": 2,
         "num_attention_heads": 4, "num_key_value_heads": 2, "rms_norm_eps": 1e-6, "tie_word_embeddings": false,
         "pad_token_id": 3, "initializer_range": \(range)}
        """
    }

    @Test("tiny-llama's config: weights ~ N(0, 0.02), norms 1, pad row 0; the same seed gives the same weights")
    func tinyLlama() throws {
        let dir = FixturePaths.shared("models/tiny-llama")
        let a = try DecoderModel.randomlyInitialized(directory: dir, seed: 5)
        let b = try DecoderModel.randomlyInitialized(directory: dir, seed: 5)
        let c = try DecoderModel.randomlyInitialized(directory: dir, seed: 6)
        #expect(a.namedParameters().map { $0.1.scalars } == b.namedParameters().map { $0.1.scalars })
        #expect(a.embedTokens.scalars != c.embedTokens.scalars)
        let w = a.embedTokens.scalars  // [32000, 256]
        let rest = Array(w[256...])
        let mean = rest.reduce(0) { $0 + Double($1) } / Double(rest.count)
        let std = (rest.reduce(0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(rest.count)).squareRoot()
        #expect(Swift.abs(mean) < 1e-4 && Swift.abs(std - 0.02) < 2e-4, "mean \(mean) std \(std)")
        #expect(w[0 ..< 256].allSatisfy { $0 == 0 })  // pad_token_id 0
        for (name, p) in a.namedParameters() where name.hasSuffix("norm.weight") { #expect(p.scalars.allSatisfy { $0 == 1 }, "\(name)") }
    }

    @Test("initializer_range comes from config.json; a bad value is an error naming it")
    func initializerRange() throws {
        let model = try DecoderModel.randomlyInitialized(directory: try configFolder(smallConfig(range: "0.5")), seed: 1)
        let q = try #require(model.namedParameters().first { $0.0 == "model.layers.0.self_attn.q_proj.weight" }?.1.scalars)
        let std = (q.reduce(0) { $0 + Double($1) * Double($1) } / Double(q.count)).squareRoot()
        #expect(Swift.abs(std - 0.5) < 0.05, "\(std)")
        #expect(model.lmHead?.scalars.contains { $0 != 0 } == true)  // untied head is drawn too
        #expect(model.embedTokens.scalars[3 * 32 ..< 4 * 32].allSatisfy { $0 == 0 })
        do {
            _ = try DecoderModel.randomlyInitialized(directory: try configFolder(smallConfig(range: "\"big\"")), seed: 1)
            Issue.record("no error")
        } catch let e as AlignModelsError {
            #expect("\(e)".contains("initializer_range"))
        }
    }
}
