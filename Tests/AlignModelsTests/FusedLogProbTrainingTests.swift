// A DPO-style training step through DecoderModel.tokenLogProbs — the fused LM head + log-prob op over
// completion positions only, recomputing logits in its backward — against the same step through the full
// [B, T, V] logits and the plain log-softmax+gather (Tensor.tokenLogProbs(model.logits(…))): equal per-token
// log-probs, loss and every parameter's gradient within 1e-5 relative, on a tiny random Llama with right
// padding, prompt positions labelled −100 and a chunk size that splits the labelled rows unevenly.
import AlignModels
import AlignTensor
import AlignTestSupport
import Testing

@Suite("fused LM head + log-probs in a training step")
struct FusedLogProbTrainingTests {
    static func model() throws -> DecoderModel {
        let spec = DecoderSpec(vocabSize: 61, hiddenSize: 16, layers: 2, heads: 4, kvHeads: 2, headDim: 4,
                               intermediateSize: 24, norm: .rms(eps: 1e-6),
                               positions: .rotary(inverseFrequencies: try Rope.inverseFrequencies(dimension: 4, theta: 10000),
                                                  attentionScaling: 1),
                               tiedEmbeddings: true)
        let m = DecoderModel.randomlyInitialized(spec: spec, initializerRange: 0.3, seed: 3)
        m.setTrainable(true)
        return m
    }

    // Two [chosen; rejected]-style rows of 9 tokens: prompt 4 (labels −100), the second row right-padded by 2.
    static let ids: [[Int32]] = [[5, 9, 2, 40, 11, 17, 3, 58, 21], [5, 9, 2, 40, 33, 8, 60, 0, 0]]
    static let mask: [[Int32]] = [[1, 1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 0, 0]]
    static let labels: [[Int32]] = [[-100, -100, -100, 11, 17, 3, 58, 21, -100], [-100, -100, -100, 33, 8, 60, -100, -100, -100]]

    /// (token log-probs, loss, gradients by parameter name) of one step.
    static func step(fused: Bool) throws -> ([Float], Float, [String: [Float]]) {
        let m = try model()
        let logp = fused
            ? try m.tokenLogProbs(ids, labels: labels, attentionMask: mask, chunkRows: 3)
            : try Tensor.tokenLogProbs(m.logits(ids, attentionMask: mask), labels: labels.flatMap { $0 })
        // A DPO-shaped scalar: −log σ(β·(Σ chosen − Σ rejected)) with β 0.1, on per-sequence sums.
        let sums = logp.reshaped([2, 9]).sum(axis: 1)
        let loss = -((sums.rows(0 ..< 1) - sums.rows(1 ..< 2)) * 0.1).logSigmoid().sum()
        loss.backward()
        let grads = Dictionary(uniqueKeysWithValues: m.namedParameters().map { ($0.0, $0.1.grad?.scalars ?? []) })
        return (logp.scalars, loss.item(), grads)
    }

    @Test("log-probs, loss and every gradient equal the unfused full-logits step")
    func fusedEqualsUnfused() throws {
        let (logp, loss, grads) = try Self.step(fused: true)
        let (logp0, loss0, grads0) = try Self.step(fused: false)
        let r = compareClose(logp, logp0, atol: 1e-6, rtol: 1e-5)
        #expect(r.passed, "log-probs: \(r)")
        #expect(abs(loss - loss0) <= 1e-5 * abs(loss0), "loss \(loss) vs \(loss0)")
        #expect(grads.count == grads0.count && grads.count == 2 * 9 + 2)
        for (name, g0) in grads0 {
            let g = grads[name] ?? []
            #expect(!g.isEmpty && g.contains { $0 != 0 }, "\(name) has a gradient")
            let report = compareClose(g, g0, atol: 1e-7, rtol: 1e-5)
            #expect(report.passed, "d/d\(name): \(report)")
        }
    }
}
