// Steering directions (Sources/AlignDecoding/Steering/SteeringDirection*.swift): CAA's mean difference of
// last-token residuals on the tiny Llama equals transformers' (Tests/Fixtures/steering/ from
// scripts/fixtures/steering_fixture.py); the safetensors file round-trips bit for bit; malformed files
// are rejected naming the file and what was found.
import Foundation
import Testing
import AlignDecoding
import AlignModels
import AlignTensor
import AlignTestSupport

/// Tests/Fixtures/steering/steering.json.
struct SteeringFixture: Decodable {
    struct Greedy: Decodable {
        let sequence: [Int32]
        let top2_gaps: [Float]
    }
    struct Case: Decodable {
        let prompt: String
        let prompt_ids: [Int32]
        let unsteered: Greedy
        let scales: [String: Greedy]
    }
    let layer: Int
    let positive_ids: [[Int32]]
    let negative_ids: [[Int32]]
    let greedy_scales: [Float]
    let greedy: [Case]

    static func load() throws -> SteeringFixture { try FixturePaths.loadJSON(SteeringFixture.self, "steering/steering.json") }

    /// The fixture's direction [C] (transformers' mean difference at `layer`).
    static func direction() throws -> [Float] {
        try SafetensorsFile(url: FixturePaths.fixture("steering/steering.safetensors")).tensor("direction").scalars
    }

    /// A tiny Llama of the test's own: steering is model state, the suite-shared models stay unsteered.
    static func freshModel() throws -> DecoderModel { try DecoderModel.load(directory: FixturePaths.shared("models/tiny-llama")) }
}

@Suite("Steering directions")
struct SteeringDirectionTests {
    static func temporaryURL() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("steer-\(UUID().uuidString).safetensors")
    }

    @Test("CAA mean difference at layer L equals transformers' (3 positive, 3 negative prompts)")
    func meanDifferenceMatches() throws {
        let f = try SteeringFixture.load()
        let d = try SteeringDirection.meanDifference(model: try SteeringFixture.freshModel(), positives: f.positive_ids,
                                                     negatives: f.negative_ids, layer: f.layer)
        #expect(d.layer == f.layer)
        #expect(d.metadata == ["method": "mean-difference", "positives": "3", "negatives": "3"])
        let r = compareClose(d.direction, try SteeringFixture.direction(), atol: 1e-5, rtol: 1e-4)
        #expect(r.passed, "\(r)")
    }

    @Test("write then read returns the same direction, layer and metadata, bit for bit")
    func roundTrip() throws {
        let url = Self.temporaryURL()
        defer { try? FileManager.default.removeItem(at: url) }
        let d = SteeringDirection(direction: [0.1, -2.5, 3e-8, .ulpOfOne], layer: 3, metadata: ["method": "mean-difference"])
        try d.write(to: url)
        #expect(try SteeringDirection(contentsOf: url) == d)
        let file = try SafetensorsFile(url: url)
        #expect(file.names == ["direction"])
        #expect(file.metadata == ["format": "pt", "layer": "3", "method": "mean-difference"])
        #expect(d.term(scale: 2).layer == 3)
        #expect(d.term(scale: 2, layer: 1) == SteeringVector(layer: 1, direction: d.direction, scale: 2))
    }

    @Test("files without a [C] 'direction' or an integer 'layer' are rejected")
    func malformed() throws {
        let url = Self.temporaryURL()
        defer { try? FileManager.default.removeItem(at: url) }
        let v = try Tensor([1, 2, 3, 4], shape: [4])
        try SafetensorsWriter.write([.init("other", v)], to: url, metadata: ["layer": "1"])
        #expect(throws: AlignDecodingError.invalidSteeringFile(file: url.path, reason: "no tensor 'direction' (found [\"other\"])")) {
            try SteeringDirection(contentsOf: url)
        }
        try SafetensorsWriter.write([.init("direction", try Tensor([1, 2, 3, 4], shape: [2, 2]))], to: url, metadata: ["layer": "1"])
        #expect(throws: AlignDecodingError.invalidSteeringFile(file: url.path, reason: "'direction' has shape [2, 2], expected [C]")) {
            try SteeringDirection(contentsOf: url)
        }
        try SafetensorsWriter.write([.init("direction", v)], to: url, metadata: ["layer": "one"])
        #expect(throws: AlignDecodingError.invalidSteeringFile(file: url.path, reason: "metadata 'layer' is 'one', expected an integer ≥ 0")) {
            try SteeringDirection(contentsOf: url)
        }
        try SafetensorsWriter.write([.init("direction", v)], to: url, metadata: nil)
        #expect(throws: AlignDecodingError.invalidSteeringFile(file: url.path, reason: "metadata 'layer' is missing, expected an integer ≥ 0")) {
            try SteeringDirection(contentsOf: url)
        }
    }

    @Test("an empty prompt set or prompt is an error")
    func emptyInputs() throws {
        let model = try SteeringFixture.freshModel()
        #expect(throws: AlignDecodingError.invalidParameter(parameter: "negatives", value: "no prompts", expected: "at least one prompt")) {
            try SteeringDirection.meanDifference(model: model, positives: [[1, 2]], negatives: [], layer: 0)
        }
        #expect(throws: AlignDecodingError.emptyPrompt(row: 1)) {
            try SteeringDirection.meanDifference(model: model, positives: [[1, 2], []], negatives: [[3]], layer: 0)
        }
    }
}
