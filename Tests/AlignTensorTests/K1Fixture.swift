// K1Fixture: loads the torch/transformers fixtures of the norm, activation, rotary and attention
// kernels (Tests/Fixtures/kernels-k1/*.json, written by scripts/fixtures/kernels_k1.py) and checks
// an op's output and input gradients against one case.
import Foundation
import Testing
import AlignTensor
import AlignTestSupport

/// A tensor as the fixture stores it: shape and row-major values (±inf as "inf"/"-inf").
struct K1TensorJSON: Decodable {
    let shape: [Int]
    let data: [Float]

    func tensor() throws -> Tensor { try Tensor(data, shape: shape) }
}

/// Op parameters; each case uses the few that apply to its op.
struct K1Params: Decodable {
    var eps: Double?
    var approximate: String?
    var dim: Int?
    var theta: Double?
    var positions: [[Int]]?
    var layout: String?
    var causal: Bool?
    var scale: Double?
    var mask: String?
}

/// One fixture case: inputs, upstream gradient, torch's output and input gradients.
struct K1Case: Decodable, CustomTestStringConvertible {
    let name: String
    let op: String
    let params: K1Params
    let inputs: [String: K1TensorJSON]
    let dout: K1TensorJSON?
    let out: K1TensorJSON
    let out2: K1TensorJSON?
    let grads: [String: K1TensorJSON]

    var testDescription: String { name }

    func input(_ key: String) throws -> Tensor {
        guard let t = inputs[key] else { throw K1FixtureError.missing(case: name, key: key) }
        return try t.tensor()
    }

    func optionalInput(_ key: String) throws -> Tensor? { try inputs[key]?.tensor() }

    var layout: HeadLayout { params.layout == "bthd" ? .bthd : .bhtd }
}

enum K1FixtureError: Error { case missing(case: String, key: String) }

enum K1Fixture {
    /// All cases of one fixture file, e.g. "norms.json".
    static func cases(_ file: String) throws -> [K1Case] {
        struct File: Decodable { let cases: [K1Case] }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let data = try Data(contentsOf: FixturePaths.fixture("kernels-k1/\(file)"))
        return try decoder.decode(File.self, from: data).cases
    }

    /// Cases of `file` whose op is `op` (the argument list of a parameterized test).
    static func cases(_ file: String, op: String) throws -> [K1Case] {
        try cases(file).filter { $0.op == op }
    }

    /// Runs `f` on the case's inputs named `wrt` (made to require gradients) and checks the output
    /// and every gradient against torch at atol/rtol 1e-5.
    static func check(_ c: K1Case, wrt: [String], atol: Double = 1e-5, rtol: Double = 1e-5,
                      _ f: ([String: Tensor]) throws -> Tensor) throws {
        var tensors: [String: Tensor] = [:]
        for (k, v) in c.inputs { tensors[k] = try v.tensor() }
        for k in wrt { tensors[k]?.requiresGrad = true }
        let out = try f(tensors)
        let expected = try c.out.tensor()
        #expect(out.shape == expected.shape, "\(c.name): output shape")
        let r = compareClose(out.scalars, expected.scalars, atol: atol, rtol: rtol)
        #expect(r.passed, "\(c.name) forward: \(r)")
        guard let dout = c.dout else { return }
        out.backward(try dout.tensor())
        for k in wrt {
            let expectedGrad = try #require(c.grads[k], "\(c.name): no torch gradient for \(k)")
            let actual = try #require(tensors[k]?.grad, "\(c.name): no gradient reached \(k)")
            let g = compareClose(actual.scalars, expectedGrad.data, atol: atol, rtol: rtol)
            #expect(g.passed, "\(c.name) d\(k): \(g)")
        }
    }
}

/// Expects every finite-difference comparison of `results` to pass, naming `label` on failure.
func expectGradients(_ results: [GradCheckResult], _ label: String) {
    #expect(!results.isEmpty, "\(label): nothing checked")
    for r in results { #expect(r.passed, "\(label) \(r)") }
}
