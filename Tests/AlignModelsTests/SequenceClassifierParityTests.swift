// The scalar head against transformers 5.23.0 and PEFT 0.21.2 (fixtures from
// scripts/fixtures/make_reward_model_fixtures.py): the pooled index (rightmost non-pad token) for
// right- and left-padded batches with a pad id inside and at the end of real tokens, the scores
// [B, num_labels] within 1e-5 relative, and every parameter gradient of L = Σ scores ⊙ w within 1e-5
// relative (tensor max-abs over max |reference|), for a Llama (num_labels 1) and a Qwen2 (num_labels 2);
// a PEFT SEQ_CLS adapter (LoRA + trained `score` in modules_to_save) gives PEFT's scores.
import Foundation
import Testing
import AlignTensor
import AlignTestSupport
@testable import AlignModels

@Suite("SequenceClassifier matches transformers")
struct SequenceClassifierParityTests {
    @Test("pooled index and scores within 1e-5 relative, right and left padding", arguments: RewardFixtures.names)
    func scores(name: String) throws {
        let ref = try RewardFixtures.reference(name)
        let model = try SequenceClassifier.load(directory: RewardFixtures.folder(name))
        #expect(model.numLabels == ref.num_labels)
        #expect(model.config.padTokenID == ref.pad_token_id)
        for (side, c) in ref.cases.sorted(by: { $0.key < $1.key }) {
            #expect(SequenceClassifier.pooledIndices(c.input_ids, padTokenID: ref.pad_token_id) == c.pooled_index, "\(name)/\(side)")
            let s = try model.scores(c.input_ids, attentionMask: c.attention_mask)
            #expect(s.shape == [c.input_ids.count, ref.num_labels])
            let err = RewardFixtures.relativeScoreError(s, c.scores)
            #expect(err <= 1e-5, "\(name)/\(side): relative score error \(err)")
        }
    }

    @Test("loss and every parameter gradient within 1e-5 relative", arguments: RewardFixtures.names)
    func gradients(name: String) throws {
        let ref = try RewardFixtures.reference(name)
        let model = try SequenceClassifier.load(directory: RewardFixtures.folder(name))
        let grads = try SafetensorsFile(url: RewardFixtures.folder(name).appendingPathComponent("grads.safetensors"))
        model.setTrainable(true)
        for side in ["right", "left"] {
            let c = try #require(ref.cases[side])
            model.parameters.forEach { $0.zeroGrad() }
            let w = try Tensor(c.loss_weights.flatMap { $0 }, shape: [c.input_ids.count, ref.num_labels])
            let loss = (try model.scores(c.input_ids, attentionMask: c.attention_mask) * w).sum()
            #expect(abs(Double(loss.item()) - c.loss) <= 1e-5 * max(1, abs(c.loss)), "\(name)/\(side) loss \(loss.item())")
            loss.backward()
            model.applyPaddingIdxGradient()  // nn.Embedding(padding_idx=pad): row 3 holds a pad id
            let names = model.namedParameters().map(\.0)
            #expect(Set(names) == Set(grads.names.filter { $0.hasPrefix(side + "/") }.map { String($0.dropFirst(side.count + 1)) }))
            for (param, p) in model.namedParameters() {
                let ours = try #require(p.grad, "\(name)/\(side): no gradient for \(param)")
                let err = relativeError(ours.scalars, try grads.tensor("\(side)/\(param)").scalars)
                #expect(err <= 1e-5, "\(name)/\(side) d/d\(param): relative error \(err)")
            }
        }
    }

    @Test("a PEFT SEQ_CLS adapter (LoRA + score in modules_to_save) gives PEFT's scores")
    func peftAdapter() throws {
        let folder = RewardFixtures.folder("peft-lora")
        let ref = try RewardFixtures.peftScores(folder, "peft_scores.json")
        let model = try SequenceClassifier.load(directory: RewardFixtures.folder("llama"))
        let before = model.score.weight.scalars
        let lora = try model.loadLoRA(directory: folder)
        #expect(lora == LoRAConfig(rank: 4, alpha: 8, targetModules: ["q_proj", "v_proj"]))
        #expect(model.score.weight.scalars != before, "the adapter's trained head replaces the base head")
        let err = RewardFixtures.relativeScoreError(try model.scores(ref.input_ids, attentionMask: ref.attention_mask), ref.scores)
        #expect(err <= 1e-5, "PEFT scores: relative error \(err)")
        model.mergeLoRA()
        let merged = RewardFixtures.relativeScoreError(try model.scores(ref.input_ids, attentionMask: ref.attention_mask), ref.scores)
        #expect(merged <= 1e-5, "merged: relative error \(merged)")
    }
}
