// Parity of KTO, CPO/SimPO/AlphaPO, ORPO and the reward-model loss with TRL 1.16's own code, through
// the fixture written by scripts/fixtures/preference_objectives_fixture.py.
import Foundation
import Testing
import AlignTensor
import AlignTestSupport
import AlignTraining

struct ObjectiveFixture: Decodable {
    struct Case: Decodable {
        let name: String
        let kind: String
        let config: [String: JSONValue]
        let loss: Double
        let metrics: [String: Double]
        // kto
        let labels: [Bool]?
        let token_logps: [[Float]]?
        let completion_mask: [[Float]]?
        let ref_logps: [Float]?
        let kl_policy_logps: [Float]?
        let kl_ref_logps: [Float]?
        let grad_token_logps: [[Double]]?
        // cpo, orpo
        let chosen_logps: [Float]?
        let rejected_logps: [Float]?
        let nll: Float?
        let grad_chosen: [Double]?
        let grad_rejected: [Double]?
        let grad_nll: Double?
        // reward
        let rewards: [Float]?
        let margins: [Float]?
        let grad_rewards: [Double]?
    }
    let cases: [Case]
}

let objectiveFixture: ObjectiveFixture = {
    do { return try FixturePaths.loadJSON(ObjectiveFixture.self, "objectives/preference_objectives.json") }
    catch { preconditionFailure("cannot load objectives/preference_objectives.json: \(error)") }
}()

func vector(_ v: [Float]?) throws -> Tensor { try Tensor(v ?? [], shape: [v?.count ?? 0]) }

func expectClose(_ actual: [Float], _ expected: [Double]?, _ what: String, rtol: Double = 1e-5) {
    let r = compareClose(actual, expected ?? [], atol: 1e-7, rtol: rtol)
    #expect(r.passed, "\(what): \(r)")
}

@Suite("KTO, CPO, SimPO, AlphaPO, ORPO and reward losses match TRL 1.16")
struct PreferenceObjectiveParityTests {
    func decode<T: Decodable>(_ t: T.Type, _ config: [String: JSONValue]) throws -> T {
        try JSONDecoder().decode(T.self, from: JSONEncoder().encode(config))
    }

    @Test("loss, gradients and metrics match TRL", arguments: objectiveFixture.cases.map(\.name))
    func parity(name: String) throws {
        let fc = try #require(objectiveFixture.cases.first { $0.name == name })
        var out: ObjectiveOutput
        switch fc.kind {
        case "kto":
            let logps = try tensor(fc.token_logps ?? [])
            logps.requiresGrad = true
            let batch = UnpairedLogps(tokenLogps: logps, completionMask: try tensor(fc.completion_mask ?? []),
                                      labels: fc.labels ?? [], referenceLogps: try vector(fc.ref_logps),
                                      klPolicyLogps: try vector(fc.kl_policy_logps), klReferenceLogps: try vector(fc.kl_ref_logps))
            out = try KTOLoss(config: try decode(KTOConfig.self, fc.config)).compute(batch)
            out.loss.backward()
            let mask = (fc.completion_mask ?? []).flatMap { $0 }
            expectClose(zip(logps.grad?.scalars ?? [], mask).map { $0 * $1 }, fc.grad_token_logps?.flatMap { $0 }, "\(name) grad")
        case "cpo", "orpo":
            let c = try vector(fc.chosen_logps), r = try vector(fc.rejected_logps), n = Tensor(scalar: fc.nll ?? .nan)
            for t in [c, r, n] { t.requiresGrad = true }
            if fc.kind == "cpo" {
                out = CPOLoss(config: try decode(CPOConfig.self, fc.config)).compute(chosenLogps: c, rejectedLogps: r, chosenNLL: n)
            } else {
                out = ORPOLoss(config: try decode(ORPOConfig.self, fc.config)).compute(chosenLogps: c, rejectedLogps: r, nll: n)
            }
            out.loss.backward()
            expectClose(c.grad?.scalars ?? [], fc.grad_chosen, "\(name) grad chosen")
            expectClose(r.grad?.scalars ?? [], fc.grad_rejected, "\(name) grad rejected")
            expectClose(n.grad?.scalars ?? [0], fc.grad_nll.map { [$0] }, "\(name) grad nll")  // unused NLL: no gradient, i.e. 0
        default:
            let rewards = try vector(fc.rewards)
            rewards.requiresGrad = true
            out = RewardLoss(config: try decode(RewardConfig.self, fc.config))
                .compute(rewards: rewards, margins: try fc.margins.map { try vector($0) })
            out.loss.backward()
            expectClose(rewards.grad?.scalars ?? [], fc.grad_rewards, "\(name) grad")
        }
        expectClose([out.loss.item()], [fc.loss], "\(name) loss")
        for (key, value) in fc.metrics {
            let r = compareClose([out.metrics[key] ?? .nan], [value], atol: 1e-6, rtol: 1e-5)
            #expect(r.passed, "\(name) \(key): \(r)")
        }
    }

    @Test("CPO from a preference batch averages log-probs for simpo and takes the chosen token-mean NLL")
    func cpoFromBatch() throws {
        // One pair: chosen tokens [-1, -2] (avg -1.5), rejected token [-3] (avg -3); NLL = 1.5.
        let logps = try Tensor([-1, -2, -3, 0], shape: [2, 2])
        let mask = try Tensor([1, 1, 1, 0], shape: [2, 2])
        var cfg = CPOConfig()
        cfg.lossType = .simpo
        cfg.beta = 2
        cfg.simpoGamma = 1
        let out = CPOLoss(config: cfg).compute(PreferenceLogps(tokenLogps: logps, completionMask: mask))
        // −log σ(2·(1.5 − 0.5)) + 1·1.5 = softplus(−2) + 1.5
        let expected = Foundation.log1p(Foundation.exp(-2.0)) + 1.5
        #expect(Swift.abs(Double(out.loss.item()) - expected) < 1e-6)
    }
}
