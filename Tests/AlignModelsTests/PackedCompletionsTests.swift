// DecoderModel.tokenLogProbs(PackedCompletions) — each prompt with its two completions in ONE row, the
// completions isolated by the segment mask and given the positions they have after the prompt — against the
// unpacked rows [prompt, completion] through the same model: equal per-token completion log-probs, DPO-shaped
// loss and every parameter's gradient within 1e-5 relative (gradients: of the tensor's largest entry). Uneven prompt and completion lengths (so both
// layouts pad), an empty prompt (its first completion token is never labelled) and an empty completion.
import AlignModels
import AlignTensor
import AlignTestSupport
import Testing

@Suite("packed prompt + completions")
struct PackedCompletionsTests {
    static let prompts: [[Int32]] = [[5, 9, 2, 40], [7, 1], []]
    static let chosen: [[Int32]] = [[11, 17, 3, 58, 21], [33, 8], [12, 13, 14]]
    static let rejected: [[Int32]] = [[33, 8, 60], [], [50, 51]]

    /// ([chosen rows; rejected rows] × max completion length log-probs, loss, gradients by name) of one step.
    static func step(packed: Bool) throws -> ([Float], Float, [String: [Float]]) {
        let m = try FusedLogProbTrainingTests.model()
        let b = prompts.count, n = 5
        var logp = [Float]()
        let sums: Tensor  // [2B]
        if packed {
            let p = PackedCompletions(prompts: prompts, completions: (0 ..< b).map { [chosen[$0], rejected[$0]] }, padID: 0)
            #expect(p.width == n && p.completions == 2)
            let t = try m.tokenLogProbs(p, chunkRows: 3)  // [2B, N]
            logp = t.scalars
            sums = t.sum(axis: 1)
        } else {
            // Rows [prompt, completion] right-padded, labels at completion tokens (position i predicts i + 1).
            let rows = (0 ..< 2 * b).map { r in (prompts[r % b], r < b ? chosen[r] : rejected[r - b]) }
            let t = rows.map { $0.0.count + $0.1.count }.max() ?? 0
            let ids = rows.map { p, c in p + c + [Int32](repeating: 0, count: t - p.count - c.count) }
            let mask = rows.map { p, c in [Int32](repeating: 1, count: p.count + c.count) + [Int32](repeating: 0, count: t - p.count - c.count) }
            let labels = rows.map { p, c in (0 ..< t).map { i -> Int32 in i + 1 >= p.count && i + 1 < p.count + c.count ? (p + c)[i + 1] : -100 } }
            let full = try m.tokenLogProbs(ids, labels: labels, attentionMask: mask, chunkRows: 3)  // [2B, T]
            let values = full.scalars
            for (r, (p, c)) in rows.enumerated() {  // completion token s sits at position p + s − 1
                logp += (0 ..< n).map { s in s < c.count && p.count + s >= 1 ? values[r * t + p.count + s - 1] : 0 }
            }
            sums = full.sum(axis: 1)
        }
        let loss = -((sums.rows(0 ..< b) - sums.rows(b ..< 2 * b)) * 0.1).logSigmoid().sum()
        loss.backward()
        let grads = Dictionary(uniqueKeysWithValues: m.namedParameters().map { ($0.0, $0.1.grad?.scalars ?? []) })
        return (logp, loss.item(), grads)
    }

    @Test("log-probs, loss and every gradient equal the unpacked rows'")
    func packedEqualsUnpacked() throws {
        let (logp, loss, grads) = try Self.step(packed: true)
        let (logp0, loss0, grads0) = try Self.step(packed: false)
        #expect(logp.count == logp0.count && logp.contains { $0 != 0 })
        let r = compareClose(logp, logp0, atol: 1e-6, rtol: 1e-5)
        #expect(r.passed, "log-probs: \(r)")
        #expect(abs(loss - loss0) <= 1e-5 * abs(loss0), "loss \(loss) vs \(loss0)")
        #expect(grads.count == grads0.count)
        for (name, g0) in grads0 {
            let g = grads[name] ?? []
            #expect(!g.isEmpty && g.contains { $0 != 0 }, "\(name) has a gradient")
            // Relative to the tensor's largest gradient: the packed row sums the prompt's gradients from both
            // completions in another order than two rows do, so near-zero entries differ in their last bits.
            let scale = g0.map(abs).max() ?? 0
            let report = compareClose(g, g0, atol: 1e-5 * Double(scale), rtol: 1e-5)
            #expect(report.passed, "d/d\(name): \(report)")
        }
    }

    @Test("the mask isolates the completions; positions restart after the prompt; empty slots are unlabelled")
    func layout() {
        let p = PackedCompletions(prompts: [[5, 9]], completions: [[[1, 2], [3]]], padID: 0)
        #expect(p.ids == [[5, 9, 1, 2, 3]])
        #expect(p.positions == [[0, 1, 2, 3, 2]])
        // Row of the rejected token (index 4): the prompt and itself, not the chosen tokens.
        #expect(Array(p.mask.scalars[20 ..< 25]) == [1, 1, 0, 0, 1])
        #expect(p.sources == [1, 2, 1, 0])  // chosen 1 ← 9, chosen 2 ← 1, rejected 3 ← 9, empty slot
        #expect(p.labels == [1, 2, 3, -100])
        #expect(p.completionMask.scalars == [1, 1, 1, 0])
    }
}
