// SequenceClassifier without an external witness or against hand-made cases: the pooled-index
// rule on a spelled-out table, typed errors for a checkpoint without `score.weight`, a
// num_labels/score shape mismatch and contradicting num_labels/id2label, save → load bitwise
// round trips (checkpoint and PEFT adapter, whose committed copy PEFT loaded — swift-lora/peft_check.json),
// a classifier built from a causal LM, and which tensors train under LoRA.
import Foundation
import Testing
import AlignTensor
import AlignTestSupport
@testable import AlignModels

@Suite("SequenceClassifier checkpoints, errors and LoRA")
struct SequenceClassifierTests {
    @Test("pooled index is the rightmost non-pad token (transformers' argmax rule)")
    func pooledIndex() {
        let rows: [[Int32]] = [
            [5, 6, 7, 0, 0],  // right padding → 2
            [0, 0, 5, 6, 7],  // left padding → 4
            [5, 0, 7, 0, 0],  // pad inside real tokens → 2
            [0, 0, 0, 0, 0],  // all pad: argmax of zeros → 0
            [5, 6, 7, 8, 9],  // no padding → 4
        ]
        #expect(SequenceClassifier.pooledIndices(rows, padTokenID: 0) == [2, 4, 2, 0, 4])
        #expect(SequenceClassifier.pooledIndices([[5, 6, 0]], padTokenID: nil) == [2])  // no pad id: last token
    }

    @Test("a batch without pad_token_id is a typed error; one row is scored at its last token")
    func noPadID() throws {
        let m = try SequenceClassifier.load(directory: RewardFixtures.folder("llama"))
        let withPad = try m.scores([[5, 6, 7]]).item()
        m.config.padTokenID = nil
        #expect(try m.scores([[5, 6, 7]]).item() == withPad)
        #expect(ModelsIO.error { try m.scores([[5, 6, 7], [8, 9, 10]]) }
            == .invalidConfig(file: "config.json", key: "pad_token_id",
                              reason: "is not set, so a batch of 2 rows cannot be scored (set pad_token_id)"))
    }

    @Test("a causal-LM checkpoint has no score.weight: missingHead names the key and shape")
    func missingHead() throws {
        let dir = try copyFixture("llama")
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try SequenceClassifier.load(directory: dir)
        try writeWeights(model.base.storedParameters(), to: dir)  // no score.weight
        let err = ModelsIO.error { try SequenceClassifier.load(directory: dir) }
        guard case let .missingHead(name, _, shape, _)? = err else { Issue.record("got \(String(describing: err))"); return }
        #expect(name == "score.weight" && shape == [1, 32])
        #expect(err?.description.contains("score.weight' of shape [1, 32] is missing") == true)
    }

    @Test("num_labels disagreeing with score.weight is a shapeMismatch naming it")
    func numLabelsMismatch() throws {
        let dir = try copyFixture("llama")
        defer { try? FileManager.default.removeItem(at: dir) }
        try editConfig(dir) { $0["id2label"] = ["0": "A", "1": "B", "2": "C"]; $0["label2id"] = ["A": 0, "B": 1, "C": 2] }
        #expect(ModelsIO.error { try SequenceClassifier.load(directory: dir) }
            == .shapeMismatch(tensor: "score.weight", file: dir.path, expected: [3, 32], actual: [1, 32]))
        try editConfig(dir) { $0["id2label"] = ["0": "A"]; $0["num_labels"] = 2 }
        #expect(ModelsIO.error { try SequenceClassifier.load(directory: dir) }
            == .invalidConfig(file: dir.appendingPathComponent("config.json").path, key: "num_labels",
                              reason: "is 2 but id2label has 1 entries"))
    }

    @Test("save → load is tensor-for-tensor identical and config.json keeps the head keys")
    func roundTrip() throws {
        let original = try SequenceClassifier.load(directory: RewardFixtures.folder("qwen2"))
        let dir = try ModelsIO.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try original.save(to: dir, baseConfig: RewardFixtures.folder("qwen2").appendingPathComponent("config.json"))
        let reloaded = try SequenceClassifier.load(directory: dir)
        #expect(reloaded.config == SequenceClassificationConfig(numLabels: 2, padTokenID: 0,
                                                                 architecture: "Qwen2ForSequenceClassification"))
        for ((n1, a), (n2, b)) in zip(original.namedParameters(), reloaded.namedParameters()) {
            #expect(n1 == n2 && a.scalars == b.scalars, "\(n1)")
        }
    }

    @Test("from a causal LM: lm_head dropped, base weights kept, score drawn from N(0, 0.02²)")
    func fromCausalLM() throws {
        let lmDir = FixturePaths.fixture("models").appendingPathComponent("llama3")
        let lm = try DecoderModel.load(directory: lmDir)
        let rm = try SequenceClassifier.fromCausalLM(directory: lmDir, numLabels: 1, seed: 3)
        #expect(rm.base.lmHead == nil && rm.score.weight.shape == [1, 32])
        #expect(rm.config.architecture == nil)  // LlamaForCausalLM is not carried over
        let ids: [[Int32]] = [[3, 4, 5, 6]]
        #expect(try rm.base.hiddenStates(ids).scalars == (try lm.hiddenStates(ids)).scalars)
        let w = rm.score.weight.scalars
        let std = (w.map { Double($0 * $0) }.reduce(0, +) / Double(w.count)).squareRoot()
        #expect(std > 0.01 && std < 0.04, "score std \(std)")
        #expect(try rm.scores(ids).shape == [1, 1])
    }

    @Test("LoRA: only adapters and score train; B = 0 leaves scores unchanged; unload restores the head")
    func loraTraining() throws {
        let m = try SequenceClassifier.load(directory: RewardFixtures.folder("llama"))
        let ref = try RewardFixtures.reference("llama")
        let c = try #require(ref.cases["right"])
        let before = try m.scores(c.input_ids, attentionMask: c.attention_mask).scalars
        try m.attachLoRA(LoRAConfig(rank: 2, alpha: 4, targetModules: ["q_proj", "v_proj"]), seed: 1)
        #expect(try m.scores(c.input_ids, attentionMask: c.attention_mask).scalars == before)
        let trainable = m.namedParameters().filter { $0.1.requiresGrad }.map(\.0)
        #expect(trainable == ["score.weight"])
        #expect(m.loraParameters().count == 2 * 2 * 2 + 1 && m.loraParameters().allSatisfy { $0.1.requiresGrad })
        let head = m.score.weight.scalars
        m.score.weight.assign(m.score.weight * 2)
        m.removeLoRA()
        #expect(m.score.weight.scalars == head)
    }

    @Test("the committed Swift-saved adapter regenerates byte-for-byte and PEFT's scores for it equal ours")
    func swiftAdapterReadByPEFT() throws {
        let committed = RewardFixtures.folder("swift-lora")
        let m = try swiftAdapterModel()
        let dir = try ModelsIO.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try m.saveLoRA(to: dir)
        for file in ["adapter_config.json", "adapter_model.safetensors"] {
            let ours = try Data(contentsOf: dir.appendingPathComponent(file))
            #expect(ours == (try Data(contentsOf: committed.appendingPathComponent(file))), "\(file) differs from the committed one")
        }
        let check = try RewardFixtures.peftScores(committed, "peft_check.json")
        let fresh = try SequenceClassifier.load(directory: RewardFixtures.folder("llama"))
        try fresh.loadLoRA(directory: committed)
        let err = RewardFixtures.relativeScoreError(try fresh.scores(check.input_ids, attentionMask: check.attention_mask), check.scores)
        #expect(err <= 1e-5, "PEFT's scores for our adapter: relative error \(err)")
    }

    /// The adapter committed as swift-lora/: q/k/v/o_proj, r 2, α 4, B and the head perturbed from seeded uniforms.
    func swiftAdapterModel() throws -> SequenceClassifier {
        let m = try SequenceClassifier.load(directory: RewardFixtures.folder("llama"))
        try m.attachLoRA(LoRAConfig(rank: 2, alpha: 4, targetModules: ["q_proj", "k_proj", "v_proj", "o_proj"]), seed: 7)
        var g = RandomGenerator(seed: 8)
        for (_, linear) in m.base.loraTargetModules {
            guard let lora = linear.lora else { continue }
            lora.b.assign(Tensor.uniform(lora.b.shape, low: -0.5, high: 0.5, generator: &g))
        }
        m.score.weight.assign(m.score.weight + Tensor.uniform(m.score.weight.shape, low: -0.3, high: 0.3, generator: &g))
        return m
    }

    func copyFixture(_ name: String) throws -> URL {
        let dir = try ModelsIO.tempDirectory()
        for file in ["config.json", "model.safetensors"] {
            try FileManager.default.copyItem(at: RewardFixtures.folder(name).appendingPathComponent(file),
                                             to: dir.appendingPathComponent(file))
        }
        return dir
    }

    func writeWeights(_ params: [(String, Tensor)], to dir: URL) throws {
        try SafetensorsWriter.write(params.map { SafetensorsWriter.Entry($0.0, $0.1) }, to: dir.appendingPathComponent("model.safetensors"))
    }

    func editConfig(_ dir: URL, _ edit: (inout [String: Any]) -> Void) throws {
        let url = dir.appendingPathComponent("config.json")
        var json = try SequenceClassificationConfig.object(at: url)
        edit(&json)
        try JSONSerialization.data(withJSONObject: json).write(to: url)
    }
}
