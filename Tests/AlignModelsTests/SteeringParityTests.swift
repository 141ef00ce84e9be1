// Activation steering on the tiny Llama against transformers with forward hooks
// (Tests/Fixtures/steering/ from scripts/fixtures/steering_fixture.py): the residual stream after block L
// equals the block's hooked output, steering adds scale · direction to it at every position, and the
// steered logits (one term, two terms on two layers) match within 1e-4. Plus the validation errors.
import Foundation
import Testing
import AlignTensor
import AlignModels
import AlignTestSupport

/// steering.json's scalar fields the model tests need.
struct SteeringFixtureHeader: Decodable {
    let layer: Int
    let scale: Float
    let layer2: Int
    let scale2: Float
    let probe_ids: [Int32]
}

@Suite("Activation steering matches transformers' forward hooks")
struct SteeringParityTests {
    let header: SteeringFixtureHeader
    let tensors: SafetensorsFile
    /// A model of its own: steering is state on the model, so the shared test models stay unsteered.
    let model: DecoderModel

    init() throws {
        header = try FixturePaths.loadJSON(SteeringFixtureHeader.self, "steering/steering.json")
        tensors = try SafetensorsFile(url: FixturePaths.fixture("steering/steering.safetensors"))
        model = try DecoderModel.load(directory: FixturePaths.shared("models/tiny-llama"))
    }

    func values(_ name: String) throws -> [Float] { try tensors.tensor(name).scalars }

    @Test("residual stream after block L equals the hooked block output (hidden_states[L + 1])")
    func residual() throws {
        let h = try model.residualStream([header.probe_ids], layer: header.layer)  // [1, T, C]
        #expect(h.shape == [1, header.probe_ids.count, 256])
        let r = compareClose(h, try values("hidden"), atol: 1e-5, rtol: 1e-4)
        #expect(r.passed, "\(r)")
    }

    @Test("steering adds scale · direction at every position, prompt included")
    func steeredResidual() throws {
        let d = try values("direction")
        try model.setSteering([SteeringVector(layer: header.layer, direction: d, scale: header.scale)])
        let h = try model.residualStream([header.probe_ids], layer: header.layer)
        let r = compareClose(h, try values("steered_hidden"), atol: 1e-5, rtol: 1e-4)
        #expect(r.passed, "\(r)")
        // By hand: the steered stream minus the plain one is scale · direction at each of the T positions.
        try model.setSteering([])
        let plain = try model.residualStream([header.probe_ids], layer: header.layer).scalars
        let expected = (0 ..< header.probe_ids.count).flatMap { _ in d.map { header.scale * $0 } }
        let diff = zip(h.scalars, plain).map { $0 - $1 }
        #expect(compareClose(diff, expected, atol: 1e-5, rtol: 1e-4).passed)
    }

    @Test("steered logits: last position (all V) and every position's first 256 ids, within 1e-4")
    func steeredLogits() throws {
        try model.setSteering([SteeringVector(layer: header.layer, direction: try values("direction"), scale: header.scale)])
        let logits = try model.logits([header.probe_ids]).scalars  // [1, T, V]
        let (t, v) = (header.probe_ids.count, 32000)
        let last = compareClose(logits[(t - 1) * v ..< t * v], try values("steered_logits_last"), atol: 1e-4, rtol: 0)
        #expect(last.passed, "\(last)")
        let head = (0 ..< t).flatMap { i in logits[i * v ..< i * v + 256] }
        let r = compareClose(head, try values("steered_logits_head"), atol: 1e-4, rtol: 0)
        #expect(r.passed, "\(r)")
        // Steering moved the logits well beyond the tolerance, so the comparison above can fail.
        let plain = try values("plain_logits_last")
        #expect(zip(logits[(t - 1) * v ..< t * v], plain).map { abs($0 - $1) }.max() ?? 0 > 0.01)
    }

    @Test("two terms on two layers add up as two hooks do")
    func twoLayers() throws {
        let d = try values("direction")
        try model.setSteering([SteeringVector(layer: header.layer, direction: d, scale: header.scale),
                               SteeringVector(layer: header.layer2, direction: d.map { -$0 }, scale: header.scale2)])
        #expect(model.steering.terms.count == 2)
        let logits = try model.logits([header.probe_ids]).scalars
        let t = header.probe_ids.count
        let r = compareClose(logits[(t - 1) * 32000 ..< t * 32000], try values("multi_logits_last"), atol: 1e-4, rtol: 0)
        #expect(r.passed, "\(r)")
    }

    @Test("no steering (or scale 0) leaves the logits as transformers' plain forward")
    func off() throws {
        let t = header.probe_ids.count
        try model.setSteering([SteeringVector(layer: header.layer, direction: try values("direction"), scale: 0)])
        let zero = try model.logits([header.probe_ids]).scalars
        try model.setSteering([])
        #expect(model.steering.isEmpty)
        let plain = try model.logits([header.probe_ids]).scalars
        #expect(zero == plain)
        let r = compareClose(plain[(t - 1) * 32000 ..< t * 32000], try values("plain_logits_last"), atol: 1e-4, rtol: 0)
        #expect(r.passed, "\(r)")
    }

    @Test("terms that do not fit the model are rejected, naming the term")
    func invalid() throws {
        let d = [Float](repeating: 0.1, count: 256)
        let ok = SteeringVector(layer: 0, direction: d, scale: 1)
        #expect(throws: AlignModelsError.invalidSteering(term: 1, reason: "layer 4 is not a block of this model (0..<4)")) {
            try model.setSteering([ok, SteeringVector(layer: 4, direction: d, scale: 1)])
        }
        #expect(throws: AlignModelsError.invalidSteering(term: 0, reason: "direction has 3 values, hidden_size is 256")) {
            try model.setSteering([SteeringVector(layer: 0, direction: [1, 2, 3], scale: 1)])
        }
        #expect(throws: AlignModelsError.invalidSteering(term: 0, reason: "scale and direction must be finite")) {
            try model.setSteering([SteeringVector(layer: 0, direction: d, scale: .nan)])
        }
        #expect(throws: AlignModelsError.self) { try model.residualStream([[1, 2]], layer: -1) }
        #expect(model.steering.isEmpty, "a rejected list leaves the model unsteered")
    }
}
