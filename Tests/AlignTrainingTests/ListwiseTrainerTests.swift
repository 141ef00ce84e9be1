// ListwiseTrainer (PRO, LiPO-λ) on the tiny Llama (../shared/data/models/tiny-llama) with the 4 ranked rows of
// Tests/Fixtures/listwise/ranked.jsonl (K = 3; scores and ranks). TRL has no listwise trainer, so the witnesses
// are (a) a Float64 evaluation, written out in this file, of each paper's formula on the per-sequence log-probs
// of the same model computed one sequence at a time, against the trainer's first-step loss; and (b) a
// directional finite-difference check of the trainer's parameter gradient (two random directions in the
// final norm's weights and one in a q_proj matrix; for LiPO after one step, so the ranks of ρ are untied).
// Also the loader: ranks → ψ = K − rank, errors by file:line.
import Foundation
import Testing
import AlignData
import AlignModels
import AlignTensor
import AlignTestSupport
import AlignTraining

@Suite("ListwiseTrainer: PRO and LiPO-λ")
struct ListwiseTrainerTests {
    static let folder = FixturePaths.fixture("listwise")
    static let modelDir = FixturePaths.shared("models/tiny-llama")

    static func rows() throws -> [TokenizedRanked] {
        let tok = try PreferenceTokenizer(directory: modelDir)
        return try tok.tokenizeRanked(try RankedExample.load(folder.appendingPathComponent("ranked.jsonl")), maxLength: 1024).examples
    }

    static func config(batch: Int = 2) -> TrainingConfig {
        var c = TrainingConfig()
        c.learningRate = 1e-3
        c.maxSteps = 1
        c.perDeviceTrainBatchSize = batch
        c.shuffle = false
        return c
    }

    /// Summed log-prob and token count of one sequence, evaluated alone (no batching, no padding).
    static func single(_ model: DecoderModel, _ prompt: [Int32], _ completion: [Int32]) throws -> (Double, Int) {
        let b = PreferenceBatch.collate(rows: [(prompt, completion)], padID: 0)
        let lp = try Autograd.withoutGrad { try model.tokenLogProbs(b.ids, labels: b.labels).scalars }
        return (lp.reduce(0.0) { $0 + Double($1) }, completion.count)
    }

    @Test("loader: ranks become ψ = K − rank; lists of unequal length are refused with file:line")
    func loader() throws {
        let ex = try RankedExample.load(Self.folder.appendingPathComponent("ranked.jsonl"))
        #expect(ex.map(\.scores) == [[0.5, 2, -1], [2, 0, 1], [1, 0, 1], [0, 2, 1]])
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("ranked-bad-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: bad) }
        try "{\"prompt\": \"a\", \"completions\": [\"b\", \"c\"], \"ranks\": [1, 2]}\n{\"prompt\": \"a\", \"completions\": [\"b\", \"c\", \"d\"], \"ranks\": [1, 2, 3]}\n"
            .write(to: bad, atomically: true, encoding: .utf8)
        #expect(throws: AlignDataError.malformedRow(RowLocation(file: bad.path, line: 2, index: 1),
                                                    reason: "'completions' has 3 entries; earlier rows have 2")) {
            try RankedExample.load(bad)
        }
        let rows = try Self.rows()
        #expect(rows.count == 4 && rows.allSatisfy { $0.completions.count == 3 && $0.completions.allSatisfy { $0.last == 2 } })
    }

    @Test("PRO first-step loss equals the Float64 formula on per-sequence log-probs")
    func proLoss() throws {
        let model = try DecoderModel.load(directory: Self.modelDir)
        model.setTrainable(true)
        let rows = try Self.rows()
        var expected = 0.0
        for row in rows.prefix(2) {
            let order = row.scores.indices.sorted { row.scores[$0] > row.scores[$1] || (row.scores[$0] == row.scores[$1] && $0 < $1) }
            let seq = try order.map { try Self.single(model, row.prompt, row.completions[$0]) }
            let s = seq.map { $0.0 / Double($0.1) }, r = order.map { row.scores[$0] }
            // PRO: Σ_k −log(e^{s_k T_kk} / Σ_{i≥k} e^{s_i T_ki}), T_ki = r_k − r_i, T_kk = max_{i>k} T_ki.
            for k in 0 ..< 2 {
                let t = (k + 1 ..< 3).map { r[k] - r[$0] }
                let a = [s[k] * (t.max() ?? 1)] + zip(k + 1 ..< 3, t).map { s[$0] * $1 }
                expected += -Foundation.log(Foundation.exp(a[0]) / a.map(Foundation.exp).reduce(0, +) + 1e-10) / 2
            }
            expected += -0.05 * 4 * seq[0].0 / 2  // sft_weight·(K−1)²·mean(−log π(best))
        }
        let trainer = try ListwiseTrainer(model: model, objective: .pro(PROLoss()), config: Self.config(), data: rows, padID: 0)
        let log = try #require(try trainer.train().first)
        #expect(Swift.abs(log.loss - expected) <= 1e-4 * Swift.abs(expected), "PRO \(log.loss) vs \(expected)")
    }

    @Test("LiPO-λ at policy = reference: Σ over ψ_i > ψ_j of Δ_ij·ln 2 with ranks by list order")
    func lipoLoss() throws {
        let model = try DecoderModel.load(directory: Self.modelDir)
        model.setTrainable(true)
        let rows = try Self.rows()
        // ρ = 0 everywhere: ranks τ are the sorted list order 1, 2, 3; ψ sorted best first.
        var expected = 0.0
        for row in rows.prefix(2) {
            let psi = row.scores.sorted(by: >)
            for i in 0 ..< 3 { for j in 0 ..< 3 where psi[i] > psi[j] {
                let gain = Swift.abs(Foundation.pow(2, psi[i]) - Foundation.pow(2, psi[j]))
                let disc = Swift.abs(1 / Foundation.log2(Double(i + 2)) - 1 / Foundation.log2(Double(j + 2)))
                expected += gain * disc * Foundation.log(2) / 2
            } }
        }
        let trainer = try ListwiseTrainer(model: model, objective: .lipo(LiPOLoss(beta: 0.1)), config: Self.config(), data: rows, padID: 0)
        let log = try #require(try trainer.train().first)
        #expect(Swift.abs(log.loss - expected) <= 1e-5 * expected, "LiPO \(log.loss) vs \(expected)")
    }

    @Test("parameter gradients match directional finite differences", arguments: ["pro", "lipo"])
    func gradient(name: String) throws {
        let model = try DecoderModel.load(directory: Self.modelDir)
        model.setTrainable(true)
        let objective: ListwiseObjective = name == "pro" ? .pro(PROLoss()) : .lipo(LiPOLoss(beta: 1))
        var config = Self.config(batch: 4)
        config.learningRate = 1e-2
        let trainer = try ListwiseTrainer(model: model, objective: objective, config: config, data: try Self.rows(), padID: 0)
        // LiPO's λ weights depend on the ranks of ρ, which are all tied at policy = reference: a perturbation
        // would reorder them and the difference quotient would see the weights jump. One step first spreads ρ.
        if name == "lipo" { try trainer.train() }
        let eps: Float = name == "lipo" ? 2e-3 : 1e-2
        let targets = [model.finalNorm.namedParameters()[0].1, model.finalNorm.namedParameters()[0].1,
                       try #require(model.namedParameters().first { $0.0 == "model.layers.1.self_attn.q_proj.weight" }?.1)]
        func loss() throws -> Double { Double(try Autograd.withoutGrad { try trainer.loss(of: [0, 1, 2, 3]) }.item()) }
        let l = try trainer.loss(of: [0, 1, 2, 3])
        l.backward()
        for (n, p) in targets.enumerated() {
            let grad = try #require(p.grad).scalars
            let d = testValues(p.scalars.count, seed: UInt64(11 + n))
            let analytic = zip(grad, d).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let base = p.scalars
            p.assign(try Tensor(zip(base, d).map { $0 + eps * $1 }, shape: p.shape))
            let up = try loss()
            p.assign(try Tensor(zip(base, d).map { $0 - eps * $1 }, shape: p.shape))
            let down = try loss()
            p.assign(try Tensor(base, shape: p.shape))
            let numeric = (up - down) / Double(2 * eps)
            #expect(Swift.abs(analytic - numeric) <= 2e-2 * Swift.max(Swift.abs(numeric), 1e-3),
                    "\(name) direction \(n): analytic \(analytic) vs numeric \(numeric)")
        }
    }
}
