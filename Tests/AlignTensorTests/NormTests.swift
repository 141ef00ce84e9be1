// RMSNorm and LayerNorm: hand-computed values, the transformers/torch fixture
// (scripts/fixtures/kernels_k1.py → Tests/Fixtures/kernels-k1/norms.json), finite-difference
// gradients for every input, the multi-threaded path and shape errors.
import Foundation
import Testing
import AlignTensor
import AlignTestSupport

@Suite("RMSNorm and LayerNorm")
struct NormTests {
    @Test("RMSNorm matches hand-computed values")
    func rmsHand() throws {
        // x = [2, −2]: mean square 4, rstd 1/2 → [1, −1], then scaled by the weight.
        let x = try Tensor([2, -2, 1, 1], shape: [2, 2])
        let w = try Tensor([3, 0.5], shape: [2])
        #expect(compareClose(x.rmsNorm(weight: w, eps: 0), [3, -0.5, 3, 0.5]).passed)
        // eps = 5: rstd = 1/sqrt(4 + 5) = 1/3.
        #expect(compareClose(try Tensor([2, -2], shape: [2]).rmsNorm(weight: nil, eps: 5), [2.0 / 3, -2.0 / 3]).passed)
    }

    @Test("LayerNorm matches hand-computed values")
    func layerHand() throws {
        // x = [1, 2, 3, 4]: mean 2.5, variance 1.25; x̂ = (x − 2.5)/sqrt(1.25 + 1e-5).
        let x = try Tensor([1, 2, 3, 4], shape: [1, 4])
        let xhat: [Float] = [-1.3416354, -0.4472118, 0.4472118, 1.3416354]
        #expect(compareClose(x.layerNorm(weight: nil, bias: nil, eps: 1e-5), xhat).passed)
        let w = try Tensor([1, 1, 2, 2], shape: [4]), b = try Tensor([0, 1, 0, 1], shape: [4])
        let expected = (0 ..< 4).map { xhat[$0] * [1, 1, 2, 2][$0] + [0, 1, 0, 1][$0] }
        #expect(compareClose(x.layerNorm(weight: w, bias: b, eps: 1e-5), expected).passed)
    }

    @Test("RMSNorm matches transformers' LlamaRMSNorm", arguments: try K1Fixture.cases("norms.json", op: "rms_norm"))
    func rmsFixture(_ c: K1Case) throws {
        let hasWeight = c.inputs["weight"] != nil
        try K1Fixture.check(c, wrt: hasWeight ? ["x", "weight"] : ["x"]) { t in
            try #require(t["x"]).rmsNorm(weight: t["weight"], eps: Float(try #require(c.params.eps)))
        }
    }

    @Test("LayerNorm matches torch.nn.functional.layer_norm", arguments: try K1Fixture.cases("norms.json", op: "layer_norm"))
    func layerFixture(_ c: K1Case) throws {
        let wrt = ["x", "weight", "bias"].filter { c.inputs[$0] != nil }
        try K1Fixture.check(c, wrt: wrt) { t in
            try #require(t["x"]).layerNorm(weight: t["weight"], bias: t["bias"], eps: Float(try #require(c.params.eps)))
        }
    }

    @Test("the fixture holds every norm case")
    func fixtureCount() throws {
        #expect(try K1Fixture.cases("norms.json").count == 6)
    }

    @Test("RMSNorm gradients match finite differences (B=2 T=3 C=4, odd 3×5, no weight)")
    func rmsGrad() {
        let x = testTensor([2, 3, 4], seed: 1), w = testTensor([4], seed: 2)
        expectGradients(gradCheck([x, w]) { $0[0].rmsNorm(weight: $0[1], eps: 1e-6) }, "rmsNorm B2 T3 C4")
        let y = testTensor([3, 5], seed: 3, scale: 2), v = testTensor([5], seed: 4)
        expectGradients(gradCheck([y, v]) { $0[0].rmsNorm(weight: $0[1], eps: 1e-5) }, "rmsNorm 3x5")
        expectGradients(gradCheck([testTensor([2, 3], seed: 5)]) { $0[0].rmsNorm(weight: nil) }, "rmsNorm no weight")
    }

    @Test("LayerNorm gradients match finite differences for x, weight and bias")
    func layerGrad() {
        let x = testTensor([2, 3, 4], seed: 6), w = testTensor([4], seed: 7), b = testTensor([4], seed: 8)
        expectGradients(gradCheck([x, w, b]) { $0[0].layerNorm(weight: $0[1], bias: $0[2]) }, "layerNorm B2 T3 C4")
        let y = testTensor([3, 5], seed: 9, scale: 3), v = testTensor([5], seed: 10)
        expectGradients(gradCheck([y, v]) { $0[0].layerNorm(weight: $0[1], bias: nil, eps: 1e-3) }, "layerNorm weight only")
        expectGradients(gradCheck([testTensor([2, 3], seed: 11)]) { $0[0].layerNorm(weight: nil, bias: nil) },
                        "layerNorm no affine")
    }

    @Test("multi-threaded norms agree with a Float64 reference")
    func threaded() throws {
        let rows = 64, c = 1024  // 64k elements: above Parallel.grain, so rows split across threads
        let x = testTensor([rows, c], seed: 12, scale: 2), w = testTensor([c], seed: 13)
        x.requiresGrad = true
        w.requiresGrad = true
        let y = x.rmsNorm(weight: w, eps: 1e-6)
        let dout = testTensor([rows, c], seed: 14)
        y.backward(dout)
        let xs = x.scalars.map(Double.init), ws = w.scalars.map(Double.init), gs = dout.scalars.map(Double.init)
        var out = [Double](repeating: 0, count: rows * c), dw = [Double](repeating: 0, count: c)
        for r in 0 ..< rows {
            let row = xs[r * c ..< (r + 1) * c]
            let s = 1 / (row.reduce(0) { $0 + $1 * $1 } / Double(c) + 1e-6).squareRoot()
            for j in 0 ..< c {
                out[r * c + j] = ws[j] * xs[r * c + j] * s
                dw[j] += gs[r * c + j] * xs[r * c + j] * s
            }
        }
        #expect(compareClose(y.scalars, out, atol: 1e-5, rtol: 1e-5).passed)
        let dwReport = compareClose(try #require(w.grad).scalars, dw, atol: 1e-3, rtol: 1e-4)
        #expect(dwReport.passed, "dweight: \(dwReport)")
    }

    @Test("norms of empty tensors are empty, with gradients of the same shape")
    func empty() {
        let x = Tensor(zeros: [0, 4])
        x.requiresGrad = true
        let y = x.rmsNorm(weight: nil)
        #expect(y.shape == [0, 4])
        y.backward(Tensor(zeros: [0, 4]))
        #expect(x.grad?.shape == [0, 4])
        #expect(Tensor(zeros: [2, 0]).layerNorm(weight: nil, bias: nil).shape == [2, 0])
    }

    @Test("norm shape errors name the op and the shapes")
    func shapeErrors() {
        #expect(throws: TensorError.shapeMismatch(op: "rmsNorm", shapes: [[2, 3], [4]], expected: "weight and bias of shape [3]")) {
            try Tensor.checkNorm(op: "rmsNorm", x: [2, 3], weight: [4])
        }
        #expect(throws: TensorError.self) { try Tensor.checkNorm(op: "layerNorm", x: [2, 3], weight: [3], bias: [2]) }
        #expect(throws: TensorError.self) { try Tensor.checkNorm(op: "layerNorm", x: [], weight: nil) }
        #expect(throws: Never.self) { try Tensor.checkNorm(op: "layerNorm", x: [2, 3], weight: [3], bias: [3]) }
    }
}
