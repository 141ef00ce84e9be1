// Parity of every DPO loss type with TRL 1.16's own `_compute_loss`, through the fixture written
// by scripts/fixtures/dpo_losses_fixture.py (Tests/Fixtures/objectives/dpo_losses.json).
import Foundation
import Testing
import AlignTensor
import AlignTestSupport
import AlignTraining

struct DPOFixture: Decodable {
    struct Case: Decodable {
        let name: String
        let config: [String: JSONValue]
        let token_logps: [[Float]]
        let completion_mask: [[Float]]
        let ref_logps: [Float]
        let log_sum_sq_probs: [[Float]]
        let loss: Double
        let grad_token_logps: [[Double]]
        let metrics: [String: Double]
    }
    let trl: String
    let cases: [Case]
}

/// Just enough JSON to re-encode the fixture's config dictionaries for DPOConfig's decoder.
enum JSONValue: Codable {
    case number(Double), string(String), bool(Bool), array([JSONValue]), null
    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null } else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) } else { self = .array(try c.decode([JSONValue].self)) }
    }
    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .bool(let b): try c.encode(b)
        case .array(let a): try c.encode(a)
        case .null: try c.encodeNil()
        }
    }
}

let dpoFixture: DPOFixture = {
    do { return try FixturePaths.loadJSON(DPOFixture.self, "objectives/dpo_losses.json") }
    catch { preconditionFailure("cannot load objectives/dpo_losses.json: \(error)") }
}()

func tensor(_ rows: [[Float]]) throws -> Tensor {
    try Tensor(rows.flatMap { $0 }, shape: [rows.count, rows.first?.count ?? 0])
}

@Suite("DPO losses match TRL 1.16")
struct DPOLossParityTests {
    @Test("loss, gradient w.r.t. per-token log-probs and metrics match TRL", arguments: dpoFixture.cases.map(\.name))
    func parity(name: String) throws {
        let fc = try #require(dpoFixture.cases.first { $0.name == name })
        let config = try JSONDecoder().decode(DPOConfig.self, from: JSONEncoder().encode(fc.config))
        let logps = try tensor(fc.token_logps)
        logps.requiresGrad = true
        let batch = PreferenceLogps(
            tokenLogps: logps, completionMask: try tensor(fc.completion_mask),
            referenceLogps: try Tensor(fc.ref_logps, shape: [fc.ref_logps.count]),
            logSumSquaredProbs: try tensor(fc.log_sum_sq_probs))
        let out = try DPOLoss(config: config).compute(batch)
        out.loss.backward()
        let lossReport = compareClose([out.loss.item()], [fc.loss], atol: 1e-6, rtol: 1e-5)
        #expect(lossReport.passed, "\(name) loss: \(lossReport)")
        let maskFlat = fc.completion_mask.flatMap { $0 }
        let grad = zip(logps.grad?.scalars ?? [], maskFlat).map { $0 * $1 }
        let gradReport = compareClose(grad, fc.grad_token_logps.flatMap { $0 }, atol: 1e-7, rtol: 1e-5)
        #expect(gradReport.passed, "\(name) gradient: \(gradReport)")
        for (key, value) in fc.metrics {
            let r = compareClose([out.metrics[key] ?? .nan], [value], atol: 1e-6, rtol: 1e-5)
            #expect(r.passed, "\(name) \(key): \(r)")
        }
    }

    @Test("sigmoid DPO at policy == reference is exactly ln 2 with gradient −β/2 per pair")
    func ln2() throws {
        let logps = try Tensor([-1, -2, -3, -4], shape: [4, 1])
        logps.requiresGrad = true
        let batch = PreferenceLogps(tokenLogps: logps, completionMask: Tensor(repeating: 1, shape: [4, 1]),
                                    referenceLogps: try Tensor([-1, -2, -3, -4], shape: [4]))
        let out = try DPOLoss(config: DPOConfig()).compute(batch)
        #expect(out.loss.item() == Float(0.6931471805599453))
        out.loss.backward()
        // d/dρ_w of −log σ(β(ρ_w − ρ_l)) at 0 is −β/2, averaged over B = 2 pairs.
        #expect(logps.grad?.scalars == [-0.025, -0.025, 0.025, 0.025])
    }

    @Test("invalid configs are rejected naming the field")
    func validation() throws {
        var c = DPOConfig()
        c.lossType = [.exoPair]
        #expect(throws: TrainingError.invalidConfig(field: "label_smoothing", value: "0.0", expected: "> 0 for exo_pair (1e-3 recommended)")) { try c.validate() }
        c = DPOConfig()
        c.lossWeights = [1, 2]
        #expect(throws: TrainingError.self) { try c.validate() }
        c = DPOConfig()
        c.lossType = [.aot]
        c.fDivergenceType = .forwardKL
        #expect(throws: TrainingError.self) { try c.validate() }
        let json = Data(#"{"loss_type": "ipo", "beta": 0.5}"#.utf8)
        let decoded = try JSONDecoder().decode(DPOConfig.self, from: json)
        #expect(decoded.lossType == [.ipo] && decoded.beta == 0.5 && decoded.fAlphaDivergenceCoef == 0.5)
    }
}
