// Every architecture against transformers 5.23.0 (fixtures from scripts/fixtures/make_models_fixtures.py):
// logits within 1e-4 max-abs at real positions for a single sequence, a right-padded and a
// left-padded batch (default position ids) and the left batch with generate()'s cumsum positions;
// the mean cross-entropy and every parameter gradient of it within 1e-3 relative (tensor max-abs
// over max |reference|); KV-cache incremental logits equal full-forward logits; a padded batch equals
// per-example runs exactly where transformers' own check (recorded in reference.json) says so;
// load → save → load tensor-for-tensor identical. Also the bf16-saved checkpoint read into fp32.
import Foundation
import Testing
import AlignTensor
import AlignTestSupport
@testable import AlignModels

@Suite("decoder family matches transformers")
struct ArchitectureParityTests {
    @Test("logits within 1e-4 at real positions, every case", arguments: ArchitectureFixture.names + ["llama3-bf16"])
    func logits(name: String) throws {
        let f = try ArchitectureFixture(name)
        for (caseName, c) in f.reference.cases.sorted(by: { $0.key < $1.key }) {
            let ours = try f.ourLogits(c)
            let theirs = try f.logits.tensor(caseName)
            #expect(ours.shape == theirs.shape, "\(name)/\(caseName)")
            let d = maxAbsDiff(ours, theirs, mask: c.attention_mask)
            #expect(d <= 1e-4, "\(name)/\(caseName): max |Δlogit| = \(d)")
        }
    }

    @Test("mean CE and all parameter gradients within 1e-3 relative", arguments: ArchitectureFixture.names)
    func gradients(name: String) throws {
        let f = try ArchitectureFixture(name)
        let reference = try f.gradients()
        f.model.setTrainable(true)
        for caseName in ArchitectureFixture.gradientCases {
            let c = try #require(f.reference.cases[caseName])
            f.model.parameters.forEach { $0.zeroGrad() }
            let loss = try Tensor.crossEntropy(try f.ourLogits(c), labels: c.labels.flatMap { $0 })
            #expect(abs(Double(loss.scalars[0]) - c.loss) <= 1e-5 * max(1, abs(c.loss)), "\(name)/\(caseName) loss")
            loss.backward()
            let grads = f.model.storedGradients()
            #expect(Set(grads.map(\.0)) == Set(reference.names.filter { $0.hasPrefix(caseName + "/") }
                .map { String($0.dropFirst(caseName.count + 1)) }), "\(name): gradient names")
            for (param, g) in grads {
                let expected = try reference.tensor("\(caseName)/\(param)")
                let ours = try #require(g, "\(name)/\(caseName): no gradient for \(param)")
                let err = relativeError(ours.scalars, expected.scalars)
                #expect(err <= 1e-3, "\(name)/\(caseName) d/d\(param): relative error \(err)")
            }
        }
    }

    @Test("the chunked fused log-prob path gives the same loss and gradients", arguments: ArchitectureFixture.names)
    func chunkedLogProbGradients(name: String) throws {
        let f = try ArchitectureFixture(name)
        let reference = try f.gradients()
        let c = try #require(f.reference.cases["right"])
        f.model.setTrainable(true)
        // Mean CE = −Σ log π(label) / #labels, here with the LM head applied 7 rows at a time.
        let logp = try f.model.tokenLogProbs(c.input_ids, labels: c.labels, attentionMask: c.attention_mask, chunkRows: 7)
        let counted = c.labels.joined().filter { $0 != -100 }.count
        let loss = -logp.sum() / Float(counted)
        #expect(abs(Double(loss.scalars[0]) - c.loss) <= 1e-5 * max(1, abs(c.loss)), "\(name) loss")
        loss.backward()
        for (param, g) in f.model.storedGradients() {
            let ours = try #require(g, "\(name): no gradient for \(param)")
            let err = relativeError(ours.scalars, try reference.tensor("right/\(param)").scalars)
            #expect(err <= 1e-3, "\(name) d/d\(param): relative error \(err)")
        }
    }

    @Test("KV cache: prefill then one token at a time equals the full forward", arguments: ArchitectureFixture.names)
    func kvCache(name: String) throws {
        let f = try ArchitectureFixture(name)
        for caseName in ["single", "left"] {
            let c = try #require(f.reference.cases[caseName])
            let full = try f.ourLogits(c)  // [B, T, V]
            let cache = KVCache(layers: f.model.spec.layers)
            let t = c.input_ids[0].count, prefill = 4
            var steps = [try f.model.logits(c.input_ids.map { Array($0[0 ..< prefill]) },
                                            attentionMask: c.attention_mask.map { Array($0[0 ..< prefill]) }, cache: cache)]
            for j in prefill ..< t {
                steps.append(try f.model.logits(c.input_ids.map { [$0[j]] },
                                                attentionMask: c.attention_mask.map { Array($0[0 ... j]) }, cache: cache))
            }
            let incremental = Tensor.concat(steps.map { $0.reshaped([c.input_ids.count * $0.shape[1], $0.shape[2]]) })
            let reordered = try reorderStepsToRows(incremental, batch: c.input_ids.count, prefill: prefill, length: t)
            let d = maxAbsDiff(reordered, full, mask: c.attention_mask)
            #expect(d <= 1e-4, "\(name)/\(caseName): cached vs full \(d)")
            let d2 = maxAbsDiff(reordered, try f.logits.tensor(caseName), mask: c.attention_mask)
            #expect(d2 <= 1e-4, "\(name)/\(caseName): cached vs transformers \(d2)")
        }
    }

    @Test("a padded batch equals per-example runs where transformers says so", arguments: ArchitectureFixture.names)
    func paddedEqualsPerExample(name: String) throws {
        let f = try ArchitectureFixture(name)
        let r = f.reference
        let right = try #require(r.cases["right"]), left = try #require(r.cases["left"])
        let rightDiff = try perExampleDiff(f.model, right, positions: nil)
        let leftDefault = try perExampleDiff(f.model, left, positions: nil)
        let leftCumsum = try perExampleDiff(f.model, left, positions: DecoderModel.positionIDs(attentionMask: left.attention_mask))
        #expect(r.right_padded_vs_per_example_maxdiff < 1e-4 && rightDiff < 1e-4, "\(name) right: \(rightDiff)")
        #expect(r.left_padded_cumsum_positions_vs_per_example_maxdiff < 1e-4 && leftCumsum < 1e-4, "\(name) left cumsum: \(leftCumsum)")
        // RoPE is relative, so default positions on a left-padded batch still equal per-example runs;
        // GPT-2's learned absolute positions do not — in transformers and here alike.
        let transformersSaysEqual = r.left_padded_default_positions_vs_per_example_maxdiff < 1e-4
        #expect(transformersSaysEqual == (leftDefault < 1e-4), "\(name) left default positions: \(leftDefault)")
        #expect(transformersSaysEqual == (name != "gpt2"))
    }

    @Test("load → save → load is tensor-for-tensor identical", arguments: ArchitectureFixture.names + ["llama3-bf16"])
    func roundTrip(name: String) throws {
        let f = try ArchitectureFixture(name)
        let dir = try ModelsIO.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: f.directory.appendingPathComponent("config.json"),
                                         to: dir.appendingPathComponent("config.json"))
        try f.model.saveWeights(to: dir)
        let original = try SafetensorsCheckpoint(directory: f.directory).loadAll()
        let saved = try SafetensorsCheckpoint(directory: dir).loadAll()
        #expect(Set(original.keys) == Set(saved.keys))
        for (key, t) in original {
            #expect(saved[key]?.shape == t.shape && saved[key]?.scalars == t.scalars, "\(name): \(key)")
        }
        let again = try DecoderModel.load(directory: dir)
        for ((n1, a), (n2, b)) in zip(f.model.namedParameters(), again.namedParameters()) {
            #expect(n1 == n2 && a.scalars == b.scalars, "\(name): \(n1)")
        }
    }
}

/// Max |batch − alone| over real positions, each row run by itself without padding.
func perExampleDiff(_ model: DecoderModel, _ c: ArchitectureCase, positions: [[Int]]?) throws -> Float {
    let batch = try model.logits(c.input_ids, attentionMask: c.attention_mask, positions: positions)  // [B, T, V]
    let (t, v) = (batch.shape[1], batch.shape[2])
    let all = batch.scalars
    var worst: Float = 0
    for (b, (ids, mask)) in zip(c.input_ids, c.attention_mask).enumerated() {
        let idx = mask.indices.filter { mask[$0] != 0 }
        let alone = try model.logits([idx.map { ids[$0] }]).scalars  // [1, n, V]
        for (k, j) in idx.enumerated() {
            for x in 0 ..< v { worst = max(worst, abs(all[(b * t + j) * v + x] - alone[k * v + x])) }
        }
    }
    return worst
}

/// Incremental logits come as [prefill rows of every batch row, then one row per batch row per step];
/// returns them as [B, T, V] in sequence order.
func reorderStepsToRows(_ steps: Tensor, batch: Int, prefill: Int, length: Int) throws -> Tensor {
    let v = steps.shape[1]
    let src = steps.scalars
    var out = [Float](repeating: 0, count: batch * length * v)
    for b in 0 ..< batch {
        for j in 0 ..< length {
            let row = j < prefill ? b * prefill + j : batch * prefill + (j - prefill) * batch + b
            for x in 0 ..< v { out[(b * length + j) * v + x] = src[row * v + x] }
        }
    }
    return try Tensor(out, shape: [batch, length, v])
}
