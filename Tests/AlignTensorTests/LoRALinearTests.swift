// Tensor.loraLinear (Ops/LoRALinear.swift) against its composed form x·op(W) + (xₐ·Aᵀ·Bᵀ)·s — forward and every
// gradient, in nn.Linear's and Conv1D's weight layouts, with x or a separate adapter input — against finite
// differences, and its backward computing nothing for inputs that want no gradient (a frozen base weight).
import Testing
@testable import AlignTensor
import AlignTestSupport

/// The composed reference: the matmuls, the scale and the add as separate recorded ops.
private func composed(_ x: Tensor, _ w: Tensor, outIn: Bool, _ a: Tensor, _ b: Tensor, _ s: Float, _ xa: Tensor) -> Tensor {
    Tensor.matmul(x, w, transposeB: outIn) + Tensor.matmul(Tensor.matmul(xa, a, transposeB: true), b, transposeB: true) * s
}

/// The gradients of Σ f(inputs) ⊙ dout with respect to each input.
private func grads(_ inputs: [Tensor], _ f: ([Tensor]) -> Tensor) -> [[Float]] {
    for t in inputs { t.requiresGrad = true; t.zeroGrad() }
    let y = f(inputs)
    y.backward(testTensor(y.shape, seed: 99))
    defer { for t in inputs { t.requiresGrad = false; t.zeroGrad() } }
    return inputs.map { $0.grad?.scalars ?? [] }
}

@Suite("LoRA linear (fused base product + low-rank update)")
struct LoRALinearTests {
    // x [2, 3, 5], r 2, out 4.
    static func operands(outIn: Bool) -> (x: Tensor, w: Tensor, a: Tensor, b: Tensor) {
        (testTensor([2, 3, 5], seed: 1), testTensor(outIn ? [4, 5] : [5, 4], seed: 2, scale: 0.5),
         testTensor([2, 5], seed: 3, scale: 0.5), testTensor([4, 2], seed: 4, scale: 0.5))
    }

    @Test("forward and all four gradients equal the composed ops (nn.Linear and Conv1D layouts)", arguments: [true, false])
    func equalsComposed(outIn: Bool) {
        let (x, w, a, b) = Self.operands(outIn: outIn)
        let fused = Tensor.loraLinear(x, weight: w, transposeWeight: outIn, a: a, b: b, scaling: 1.5)
        let reference = composed(x, w, outIn: outIn, a, b, 1.5, x)
        #expect(fused.shape == [2, 3, 4])
        let r = compareClose(fused.scalars, reference.scalars.map(Double.init), atol: 1e-6, rtol: 1e-6)
        #expect(r.passed, "forward: \(r)")
        let gf = grads([x, w, a, b]) { Tensor.loraLinear($0[0], weight: $0[1], transposeWeight: outIn, a: $0[2], b: $0[3], scaling: 1.5) }
        let gc = grads([x, w, a, b]) { composed($0[0], $0[1], outIn: outIn, $0[2], $0[3], 1.5, $0[0]) }
        for (i, name) in ["x", "W", "A", "B"].enumerated() {
            let c = compareClose(gf[i], gc[i].map(Double.init), atol: 1e-5, rtol: 1e-5)
            #expect(!gf[i].isEmpty && c.passed, "d\(name): \(c)")
        }
    }

    @Test("gradients match finite differences, with a separate adapter input (dropout's place)", arguments: [true, false])
    func finiteDifferences(outIn: Bool) {
        let (x, w, a, b) = Self.operands(outIn: outIn)
        let xa = testTensor([2, 3, 5], seed: 5)
        let results = gradCheck([x, w, a, b, xa]) {
            Tensor.loraLinear($0[0], weight: $0[1], transposeWeight: outIn, a: $0[2], b: $0[3], scaling: 0.75, adapterInput: $0[4])
        }
        for r in results { #expect(r.passed, "\(r)") }
        // The separate input changes the value: x reaches the update only through xₐ.
        let y = Tensor.loraLinear(x, weight: w, transposeWeight: outIn, a: a, b: b, scaling: 0.75, adapterInput: xa)
        let expected = composed(x, w, outIn: outIn, a, b, 0.75, xa)
        #expect(compareClose(y.scalars, expected.scalars.map(Double.init), atol: 1e-6, rtol: 1e-6).passed)
    }

    @Test("a frozen weight and a frozen input get no gradient computed; B = 0 adds exactly nothing")
    func frozenBase() {
        let (x, w, a, b) = Self.operands(outIn: true)
        b.fill(0)
        let base = Tensor.matmul(x, w, transposeB: true)
        a.requiresGrad = true
        b.requiresGrad = true
        let y = Tensor.loraLinear(x, weight: w, transposeWeight: true, a: a, b: b, scaling: 2)
        #expect(y.scalars == base.scalars, "x·Wᵀ + s·h·0 is x·Wᵀ bit for bit")
        // The backward itself returns nothing for W and x (no [out, in] product for the frozen weight).
        let saved = LoRALinearSaved(x: x, weight: w, transposeWeight: true, a: a, b: b, adapterInput: x,
                                    h: Autograd.withoutGrad { Tensor.matmul(x, a, transposeB: true).reshaped([6, 2]) }, scaling: 2, rows: 6, shared: true)
        let g = saved.backward(testTensor([2, 3, 4], seed: 6),
                               LoRALinearNeeds(x: false, weight: false, a: true, b: true, adapterInput: false))
        #expect(g.count == 4 && g[0] == nil && g[1] == nil && g[2] != nil && g[3] != nil)
        #expect(g[2]?.scalars.allSatisfy { $0 == 0 } == true, "dA = s·(g·B)ᵀ·x is 0 while B = 0")
        y.backward(testTensor([2, 3, 4], seed: 6))
        #expect(w.grad == nil && x.grad == nil && a.grad != nil && b.grad?.scalars.contains { $0 != 0 } == true)
    }
}
