// SiLU, GELU (exact and tanh) and SwiGLU: hand-computed values, the torch fixture
// (scripts/fixtures/kernels_k1.py → Tests/Fixtures/kernels-k1/activations.json),
// finite-difference gradients and shape errors.
import Testing
import AlignTensor
import AlignTestSupport

@Suite("activations")
struct ActivationTests {
    /// [1, −1, 2, 0]
    static func inputs() throws -> Tensor { try Tensor([1, -1, 2, 0], shape: [4]) }

    @Test("SiLU and GELU match hand-computed values")
    func hand() throws {
        let x = try Self.inputs()
        // silu(x) = x·σ(x); gelu(x) = x·Φ(x); gelu_tanh from the tanh formula (Python math, Float64).
        #expect(compareClose(x.silu(), [0.7310586, -0.2689414, 1.7615942, 0]).passed)
        #expect(compareClose(x.gelu(), [0.8413447, -0.1586553, 1.9544997, 0]).passed)
        #expect(compareClose(x.gelu(approximation: .tanh), [0.8411920, -0.1588080, 1.9545977, 0]).passed)
    }

    @Test("SwiGLU is silu(gate)·up")
    func swigluHand() throws {
        let x = try Self.inputs(), up = try Tensor([2, 3, 0, 5], shape: [4])
        #expect(compareClose(Tensor.swiglu(gate: x, up: up), [1.4621172, -0.8068243, 0, 0]).passed)
    }

    @Test("activations match torch", arguments: try K1Fixture.cases("activations.json"))
    func fixture(_ c: K1Case) throws {
        switch c.op {
        case "silu": try K1Fixture.check(c, wrt: ["x"]) { try #require($0["x"]).silu() }
        case "gelu":
            let approx = try #require(GELUApproximation(rawValue: c.params.approximate ?? ""))
            try K1Fixture.check(c, wrt: ["x"]) { try #require($0["x"]).gelu(approximation: approx) }
        case "swiglu":
            try K1Fixture.check(c, wrt: ["gate", "up"]) { t in Tensor.swiglu(gate: try #require(t["gate"]), up: try #require(t["up"])) }
        default: Issue.record("unknown op \(c.op) in activations.json")
        }
    }

    @Test("the fixture holds silu, both gelus, swiglu and transformers' gelu_new and silu MLP")
    func fixtureCount() throws {
        #expect(try K1Fixture.cases("activations.json").map(\.op) == ["silu", "gelu", "gelu", "swiglu", "gelu", "swiglu"])
    }

    @Test("activation gradients match finite differences (B=2 T=3 C=4)")
    func gradients() {
        let a = testTensor([2, 3, 4], seed: 21, scale: 3)
        expectGradients(gradCheck([a]) { $0[0].silu() }, "silu")
        expectGradients(gradCheck([a]) { $0[0].gelu() }, "gelu exact")
        expectGradients(gradCheck([a]) { $0[0].gelu(approximation: .tanh) }, "gelu tanh")
        let g = testTensor([2, 3, 4], seed: 22, scale: 3), u = testTensor([2, 3, 4], seed: 23)
        expectGradients(gradCheck([g, u]) { Tensor.swiglu(gate: $0[0], up: $0[1]) }, "swiglu")
        expectGradients(gradCheck([g, u], wrt: [1]) { Tensor.swiglu(gate: $0[0], up: $0[1]) }, "swiglu up only")
    }

    @Test("SwiGLU rejects operands of different shapes")
    func shapeErrors() {
        #expect(throws: TensorError.shapeMismatch(op: "swiglu", shapes: [[2, 3], [3, 2]], expected: "gate and up of the same shape")) {
            try Tensor.checkSwiGLU(gate: [2, 3], up: [3, 2])
        }
        #expect(throws: Never.self) { try Tensor.checkSwiGLU(gate: [2, 3], up: [2, 3]) }
    }
}
