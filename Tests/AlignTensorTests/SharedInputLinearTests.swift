// Tensor.sharedInputLinear (Ops/SharedInputLinear.swift): several products of one input recorded as one op with
// several outputs. Outputs bit-identical to Tensor.matmul one weight at a time; every gradient equal to the
// composed form's within rounding (x's sums inside sgemm) and to finite differences; an output the loss never
// reaches counts as zero; the weights' gradients are skipped when frozen.
import Testing
@testable import AlignTensor
import AlignTestSupport

/// The gradients of Σ_i Σ f(inputs)_i ⊙ dout_i with respect to each input (empty where none).
private func grads(_ inputs: [Tensor], use: [Int], _ f: ([Tensor]) -> [Tensor]) -> [[Float]] {
    for t in inputs { t.requiresGrad = true; t.zeroGrad() }
    defer { for t in inputs { t.requiresGrad = false; t.zeroGrad() } }
    let ys = f(inputs)
    total(use.map { i in (ys[i] * testTensor(ys[i].shape, seed: UInt64(90 + i))).sum() }).backward()
    return inputs.map { $0.grad?.scalars ?? [] }
}

/// sharedInputLinear of t[0] by the weights t[1...].
private func shared(_ t: [Tensor], outIn: Bool) -> [Tensor] {
    Tensor.sharedInputLinear(t[0], weights: Array(t[1...]), transposeWeights: outIn)
}

/// Σ of scalar tensors, recorded.
private func total(_ terms: [Tensor]) -> Tensor { terms.dropFirst().reduce(terms[0], +) }

@Suite("Shared-input products (q/k/v, gate/up as one recorded op)")
struct SharedInputLinearTests {
    // x [2, 3, 5]; weights of 4, 2 and 3 outputs.
    static func operands(outIn: Bool) -> [Tensor] {
        [testTensor([2, 3, 5], seed: 1)] + [4, 2, 3].enumerated().map { i, n in
            testTensor(outIn ? [n, 5] : [5, n], seed: UInt64(2 + i), scale: 0.5)
        }
    }

    @Test("outputs are Tensor.matmul's bit for bit, recorded or not (both weight layouts)", arguments: [true, false])
    func outputsBitIdentical(outIn: Bool) {
        let ops = Self.operands(outIn: outIn)
        let plain = Tensor.sharedInputLinear(ops[0], weights: Array(ops[1...]), transposeWeights: outIn)
        ops[0].requiresGrad = true
        defer { ops[0].requiresGrad = false }
        let recorded = Tensor.sharedInputLinear(ops[0], weights: Array(ops[1...]), transposeWeights: outIn)
        for (i, w) in ops[1...].enumerated() {
            let reference = Tensor.matmul(ops[0], w, transposeB: outIn)
            #expect(plain[i].shape == reference.shape && plain[i].scalars == reference.scalars)
            #expect(recorded[i].scalars == reference.scalars && recorded[i].needsGrad)
            #expect(!plain[i].needsGrad)
        }
    }

    @Test("x's and every weight's gradient equal the composed matmuls'", arguments: [true, false])
    func gradientsEqualComposed(outIn: Bool) {
        let ops = Self.operands(outIn: outIn)
        let fused = grads(ops, use: [0, 1, 2]) { shared($0, outIn: outIn) }
        let composed = grads(ops, use: [0, 1, 2]) { t in t[1...].map { Tensor.matmul(t[0], $0, transposeB: outIn) } }
        for (i, name) in ["x", "W0", "W1", "W2"].enumerated() {
            let c = compareClose(fused[i], composed[i].map(Double.init), atol: 1e-5, rtol: 1e-5)
            #expect(!fused[i].isEmpty && c.passed, "d\(name): \(c)")
        }
    }

    @Test("gradients match finite differences")
    func finiteDifferences() {
        let ops = Self.operands(outIn: true)
        // One output carrying all three products: the loss reaches each through a different slice of dout.
        let results = gradCheck(ops) { t in
            let ys = Tensor.sharedInputLinear(t[0], weights: Array(t[1...]), transposeWeights: true)
            return ys[0].sum() * 0.5 + (ys[1] * ys[1]).sum() - ys[2].sum() * 0.25
        }
        for r in results { #expect(r.passed, "\(r)") }
    }

    @Test("an output the loss never reaches counts as zero; its weight gets no gradient")
    func unusedOutput() {
        let ops = Self.operands(outIn: true)
        let fused = grads(ops, use: [0, 2]) { shared($0, outIn: true) }
        let composed = grads(ops, use: [0, 2]) { t in t[1...].map { Tensor.matmul(t[0], $0, transposeB: true) } }
        for i in [0, 1, 3] {
            let c = compareClose(fused[i], composed[i].map(Double.init), atol: 1e-5, rtol: 1e-5)
            #expect(!fused[i].isEmpty && c.passed, "input \(i): \(c)")
        }
        #expect(fused[2].isEmpty && composed[2].isEmpty)
    }

    @Test("frozen weights get no gradient; a frozen input gets none while the weights still do")
    func frozenOperands() {
        let ops = Self.operands(outIn: false)
        ops[0].requiresGrad = true
        let ys = Tensor.sharedInputLinear(ops[0], weights: Array(ops[1...]), transposeWeights: false)
        total(ys.map { $0.sum() }).backward()
        #expect(ops[0].grad != nil && ops[1...].allSatisfy { $0.grad == nil })
        ops[0].requiresGrad = false
        ops[0].zeroGrad()
        ops[2].requiresGrad = true
        let again = Tensor.sharedInputLinear(ops[0], weights: Array(ops[1...]), transposeWeights: false)
        again[1].sum().backward()
        // d/dW1 of Σ x·W1 is xᵀ·1: each row of W1's gradient is the column sum of x's rows.
        let x = ops[0].scalars, rows = 6
        let expected = (0 ..< 5).flatMap { c in Array(repeating: (0 ..< rows).map { x[$0 * 5 + c] }.reduce(0, +), count: 2) }
        let c = compareClose(ops[2].grad?.scalars ?? [], expected.map(Double.init), atol: 1e-5, rtol: 1e-5)
        #expect(ops[0].grad == nil && c.passed, "dW1: \(c)")
    }
}
