// Objectives TRL lacks (CoPG, D2O, POSFT, AFT, ASFT, MaPO, PRO, LiPO-λ, BCO) against the Float64 torch
// references of scripts/fixtures/sequence_objectives_fixture.py (Tests/Fixtures/objectives/sequence_objectives.json),
// plus hand-computed checks of the DPO additions (cdpo, ipo_sum, sft_sum) and TPO.
import Foundation
import Testing
import AlignTensor
import AlignTestSupport
import AlignTraining

/// Nested JSON number arrays → flat values and shape.
indirect enum NumArray: Decodable {
    case scalar(Double), list([NumArray])
    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let d = try? c.decode(Double.self) { self = .scalar(d) } else { self = .list(try c.decode([NumArray].self)) }
    }
    var flat: [Double] {
        switch self { case .scalar(let d): return [d]; case .list(let l): return l.flatMap(\.flat) }
    }
    var shape: [Int] {
        switch self { case .scalar: return []; case .list(let l): return [l.count] + (l.first?.shape ?? []) }
    }
    func tensor() throws -> Tensor { try Tensor(flat.map { Float($0) }, shape: shape) }
}

struct SequenceFixture: Decodable {
    struct Case: Decodable {
        let name: String, kind: String
        let params: [String: JSONValue]
        let inputs: [String: NumArray]
        let loss: Double
        let grads: [String: NumArray]
    }
    let cases: [Case]
}

let sequenceFixture: SequenceFixture = {
    do { return try FixturePaths.loadJSON(SequenceFixture.self, "objectives/sequence_objectives.json") }
    catch { preconditionFailure("cannot load objectives/sequence_objectives.json: \(error)") }
}()

extension JSONValue {
    var number: Double? { if case .number(let d) = self { return d }; return nil }
    var matrix: [[Double]]? {
        guard case .array(let rows) = self else { return nil }
        return rows.map { row in if case .array(let v) = row { return v.compactMap(\.number) }; return [] }
    }
    var bools: [Bool]? { if case .array(let v) = self { return v.map { if case .bool(let b) = $0 { return b }; return false } }; return nil }
    var numbers: [Double]? { if case .array(let v) = self { return v.compactMap(\.number) }; return nil }
}

@Suite("objectives without a TRL implementation match their Float64 references")
struct SequenceObjectiveParityTests {
    @Test("loss and gradients match", arguments: sequenceFixture.cases.map(\.name))
    func parity(name: String) throws {
        let fc = try #require(sequenceFixture.cases.first { $0.name == name })
        var t: [String: Tensor] = [:]
        for (k, v) in fc.inputs { t[k] = try v.tensor() }
        for k in fc.grads.keys { t[k]?.requiresGrad = true }
        func p(_ key: String) -> Double { fc.params[key]?.number ?? .nan }
        func x(_ key: String) throws -> Tensor { try #require(t[key]) }
        let out: ObjectiveOutput
        switch fc.kind {
        case "copg": out = CoPGLoss(beta: p("beta")).compute(ratios: try x("ratios"), otherRatios: try x("other_ratios"),
                                                              rewards: try x("rewards"), otherRewards: try x("other_rewards"))
        case "d2o": out = D2OLoss(beta: p("beta"), alpha: p("alpha")).compute(sampleRatios: try x("sample_ratios"),
                                                                              negativeRatios: try x("negative_ratios"))
        case "posft": out = POSFTLoss(beta: p("beta")).compute(scores: try x("scores"), alignedScores: try x("aligned_scores"))
        case "aft": out = AFTLoss(margin: p("margin")).compute(positive: try x("positive"), negative: try x("negative"))
        case "asft": out = ASFTLoss(lambda: p("lambda")).compute(chosenMean: try x("chosen_mean"), rejectedMean: try x("rejected_mean"),
                                                                 nll: try x("nll"))
        case "mapo":
            var cfg = ORPOConfig()
            cfg.beta = p("beta")
            cfg.marginScale = p("margin_scale")
            out = ORPOLoss(config: cfg).compute(chosenLogps: try x("chosen"), rejectedLogps: try x("rejected"), nll: try x("nll"))
        case "pro": out = PROLoss(sftWeight: p("sft_weight")).compute(scores: try x("scores"), rewards: fc.params["rewards"]?.matrix,
                                                                      sftLogps: try x("sft_logps"))
        case "lipo": out = LiPOLoss(beta: p("beta")).compute(ratios: try x("ratios"), labels: fc.params["labels"]?.matrix ?? [])
        case "bco":
            var bco = BCOLoss(beta: p("beta"))
            let labels = fc.params["labels"]?.bools ?? []
            let first = try Tensor((fc.params["first_batch"]?.numbers ?? []).map { Float($0) }, shape: [labels.count])
            _ = bco.compute(ratios: first, labels: labels)
            out = bco.compute(ratios: try x("ratios"), labels: labels, desirableProbability: fc.params["desirable_probability"]?.numbers)
            #expect(Swift.abs(out.metrics["delta"]! - p("delta")) < 1e-7, "running shift δ")
        default:
            Issue.record("unknown kind \(fc.kind)")
            return
        }
        out.loss.backward()
        let r = compareClose([out.loss.item()], [fc.loss], atol: 1e-6, rtol: 1e-5)
        #expect(r.passed, "\(name) loss: \(r)")
        for (k, expected) in fc.grads {
            let g = compareClose(t[k]?.grad?.scalars ?? [], expected.flat, atol: 1e-6, rtol: 1e-4)
            #expect(g.passed, "\(name) grad \(k): \(g)")
        }
    }

    @Test("cdpo, ipo_sum and sft_sum equal their hand-computed values")
    func dpoAdditions() throws {
        // One pair, one token each: ρ_w = −1 − (−2) = 1, ρ_l = −3 − (−1) = −2, so Δ = 3.
        let batch = PreferenceLogps(tokenLogps: try Tensor([-1, -3], shape: [2, 1]), completionMask: Tensor(repeating: 1, shape: [2, 1]),
                                    referenceLogps: try Tensor([-2, -1], shape: [2]))
        func loss(_ type: DPOLossType, eps: Double = 0) throws -> Double {
            var c = DPOConfig()
            c.lossType = [type]
            c.labelSmoothing = eps
            return Double(try DPOLoss(config: c).compute(batch).loss.item())
        }
        let z = 0.3  // β·Δ
        let expectedCDPO = 0.9 * Foundation.log1p(Foundation.exp(-z)) + 0.1 * Foundation.log1p(Foundation.exp(z))
        #expect(Swift.abs(try loss(.cdpo, eps: 0.1) - expectedCDPO) < 1e-6)
        #expect(Swift.abs(try loss(.ipoSum) - 4) < 1e-5)  // (3 − 1/(2·0.1))² = (3 − 5)²
        #expect(try loss(.sftSum) == 1)                    // −Σ log π(y_w) = 1
    }

    @Test("TPO equals CPO with the gold NLL in the NLL slot")
    func tpo() throws {
        let c = try Tensor([-2, -1], shape: [2]), r = try Tensor([-4, -1.5], shape: [2]), gold = Tensor(scalar: 0.7)
        var cfg = TPOConfig()
        cfg.beta = 0.5
        let out = TPOLoss(config: cfg).compute(chosenLogps: c, rejectedLogps: r, goldNLL: gold)
        // mean(softplus(−0.5·[2, 0.5])) + 0.7
        let expected = (Foundation.log1p(Foundation.exp(-1.0)) + Foundation.log1p(Foundation.exp(-0.25))) / 2 + 0.7
        #expect(Swift.abs(Double(out.loss.item()) - expected) < 1e-6)
    }
}
