// Rotary embeddings: inverse frequencies, cos/sin tables and the rotation against hand values
// and the transformers fixture (scripts/fixtures/kernels_k1.py → Tests/Fixtures/kernels-k1/rope.json),
// finite-difference gradients in both head layouts, and errors.
import Foundation
import Testing
import AlignTensor
import AlignTestSupport

@Suite("rotary embeddings")
struct RopeTests {
    @Test("inverse frequencies and tables match hand-computed values")
    func hand() throws {
        // D = 4, θ = 10000: inv_freq = [10000^0, 10000^(−1/2)] = [1, 0.01].
        let inv = try Rope.inverseFrequencies(dimension: 4, theta: 10000)
        #expect(compareClose(inv, [1, 0.01] as [Float]).passed)
        let (cos, sin) = try Rope.cosSin(inverseFrequencies: inv, positions: [[0, 1]])
        #expect(cos.shape == [1, 2, 4])
        #expect(compareClose(cos, [1, 1, 1, 1, 0.5403023, 0.99995, 0.5403023, 0.99995]).passed)
        #expect(compareClose(sin, [0, 0, 0, 0, 0.84147098, 0.00999983, 0.84147098, 0.00999983]).passed)
    }

    @Test("a quarter turn maps (x₀, x₁) to (−x₁, x₀)")
    func quarterTurn() throws {
        // D = 2 at angle π/2: cos = 0, sin = 1 → y = [x0·0 − x1·1, x1·0 + x0·1].
        let x = try Tensor([3, 5], shape: [1, 1, 1, 2])
        let c = try Tensor([0, 0], shape: [1, 2]), s = try Tensor([1, 1], shape: [1, 2])
        #expect(x.applyingRotary(cos: c, sin: s).scalars == [-5, 3])
    }

    @Test("rope tables and rotation match transformers", arguments: try K1Fixture.cases("rope.json"))
    func fixture(_ c: K1Case) throws {
        switch c.op {
        case "inv_freq":
            let inv = try Rope.inverseFrequencies(dimension: try #require(c.params.dim), theta: try #require(c.params.theta))
            let r = compareClose(inv, c.out.data, atol: 0, rtol: 1e-6)
            #expect(r.passed, "\(c.name): \(r)")
        case "cos_sin":
            let inv = try Rope.inverseFrequencies(dimension: try #require(c.params.dim), theta: try #require(c.params.theta))
            let (cos, sin) = try Rope.cosSin(inverseFrequencies: inv, positions: try #require(c.params.positions))
            // Angles reach 4095 rad here: one ulp of the angle is ~2.4e-4, so allow that much.
            let rc = compareClose(cos.scalars, c.out.data, atol: 5e-4, rtol: 0)
            let rs = compareClose(sin.scalars, try #require(c.out2).data, atol: 5e-4, rtol: 0)
            #expect(rc.passed && rs.passed, "\(c.name): cos \(rc), sin \(rs)")
            #expect(cos.shape == c.out.shape)
        case "rotary":
            try K1Fixture.check(c, wrt: ["x", "cos", "sin"]) { t in
                try #require(t["x"]).applyingRotary(cos: try #require(t["cos"]), sin: try #require(t["sin"]), layout: c.layout)
            }
        default: Issue.record("unknown op \(c.op) in rope.json")
        }
    }

    @Test("the fixture holds 3 frequency, 2 table and 3 rotation cases")
    func fixtureCount() throws {
        #expect(try K1Fixture.cases("rope.json").map(\.op) == ["inv_freq", "inv_freq", "inv_freq", "cos_sin", "cos_sin",
                                                              "rotary", "rotary", "rotary"])
    }

    @Test("small positions reproduce transformers' tables to 1e-6")
    func smallPositions() throws {
        let c = try #require(try K1Fixture.cases("rope.json", op: "cos_sin").first)
        let inv = try Rope.inverseFrequencies(dimension: 8, theta: 10000)
        let (cos, sin) = try Rope.cosSin(inverseFrequencies: inv, positions: try #require(c.params.positions))
        #expect(compareClose(cos.scalars, c.out.data, atol: 1e-6, rtol: 0).passed)
        #expect(compareClose(sin.scalars, try #require(c.out2).data, atol: 1e-6, rtol: 0).passed)
    }

    @Test("rotation gradients match finite differences in both layouts and for the tables")
    func gradients() throws {
        let inv = try Rope.inverseFrequencies(dimension: 4, theta: 10000)
        let (cos, sin) = try Rope.cosSin(inverseFrequencies: inv, positions: [[0, 1, 2], [4, 5, 6]])
        let x = testTensor([2, 3, 3, 4], seed: 31)  // B=2, H=3, T=3, D=4
        expectGradients(gradCheck([x, cos, sin]) { $0[0].applyingRotary(cos: $0[1], sin: $0[2]) }, "rotary bhtd")
        let y = testTensor([2, 3, 2, 4], seed: 32)  // B=2, T=3, H=2, D=4
        expectGradients(gradCheck([y, cos, sin]) { $0[0].applyingRotary(cos: $0[1], sin: $0[2], layout: .bthd) },
                        "rotary bthd")
        let shared = (cos.rows(0 ..< 1).reshaped([3, 4]).copy(), sin.rows(0 ..< 1).reshaped([3, 4]).copy())
        expectGradients(gradCheck([x, shared.0, shared.1]) { $0[0].applyingRotary(cos: $0[1], sin: $0[2]) },
                        "rotary shared table")
    }

    @Test("both layouts give the same rotation")
    func layoutsAgree() throws {
        let (cos, sin) = try Rope.cosSin(inverseFrequencies: try Rope.inverseFrequencies(dimension: 6, theta: 500),
                                         positions: [[7, 8, 9, 10], [0, 1, 2, 3]])
        let x = testTensor([2, 3, 4, 6], seed: 33)  // [B, H, T, D]
        let a = x.applyingRotary(cos: cos, sin: sin)
        let b = x.permuted([0, 2, 1, 3]).applyingRotary(cos: cos, sin: sin, layout: .bthd).permuted([0, 2, 1, 3])
        #expect(a.scalars == b.scalars)
    }

    @Test("rope errors name the shapes and values")
    func errors() {
        #expect(throws: TensorError.self) { try Rope.inverseFrequencies(dimension: 5, theta: 10000) }
        #expect(throws: TensorError.self) { try Rope.inverseFrequencies(dimension: 8, theta: 0) }
        #expect(throws: TensorError.self) { try Rope.cosSin(inverseFrequencies: [1], positions: [[0, 1], [2]]) }
        #expect(throws: TensorError.self) { try Tensor.checkRotary(x: [1, 2, 3, 5], cos: [3, 5], sin: [3, 5], layout: .bhtd) }
        #expect(throws: TensorError.self) { try Tensor.checkRotary(x: [1, 2, 3, 4], cos: [2, 3, 4], sin: [2, 3, 4], layout: .bhtd) }
        #expect(throws: TensorError.self) { try Tensor.checkRotary(x: [1, 2, 3, 4], cos: [3, 4], sin: [1, 3, 4], layout: .bhtd) }
        let info = try? Tensor.checkRotary(x: [2, 5, 3, 4], cos: [2, 5, 4], sin: [2, 5, 4], layout: .bthd)
        #expect(info.map { [$0.batch, $0.heads, $0.seq, $0.dim] } == [2, 3, 5, 4] && info?.sharedTable == false)
    }
}
