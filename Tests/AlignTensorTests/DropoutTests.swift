// Seeded dropout: inverted scaling, the mask's documented derivation from RandomGenerator blocks,
// the backward reusing the same mask, finite differences and thread-count independence.
import Testing
import AlignTensor
import AlignTestSupport

@Suite("dropout")
struct DropoutTests {
    @Test("p = 0 or evaluation mode is the identity and draws nothing; p = 1 zeroes everything")
    func edgeCases() {
        let x = testTensor([3, 4], seed: 1)
        var g = RandomGenerator(seed: 3)
        #expect(x.dropout(p: 0, generator: &g) === x)
        #expect(x.dropout(p: 0.5, generator: &g, training: false) === x)
        #expect(g.offset == 0)
        #expect(x.dropout(p: 1, generator: &g).scalars.allSatisfy { $0 == 0 })
        #expect(g.offset == 3)
    }

    @Test("element i is dropped exactly when the uniform of block i/4, lane i%4 is below p; survivors scale by 1/(1 − p)")
    func maskDerivation() {
        let n = 1001
        let x = Tensor(repeating: 2, shape: [n])
        var g = RandomGenerator(seed: 77)
        var reference = g
        let y = x.dropout(p: 0.25, generator: &g).scalars
        let window = reference.reserve(blocks: (n + 3) / 4)
        #expect(g == reference)
        for i in 0 ..< n {
            let dropped = window.uniforms(i / 4)[i % 4] < 0.25
            #expect(y[i] == (dropped ? 0 : 2 * (1 / Float(0.75))), "element \(i)")
        }
    }

    @Test("golden mask for seed 0: uniforms 0.399, 0.881, 0.736, 0.605 with p = 0.7 keep lanes 1 and 2")
    func golden() throws {
        var g = RandomGenerator(seed: 0)
        let y = try Tensor([1, 1, 1, 1], shape: [4]).dropout(p: 0.7, generator: &g).scalars
        let s = 1 / (1 - Float(0.7))
        #expect(y == [0, s, s, 0])
    }

    @Test("backward applies the forward's mask and scale")
    func backwardMask() {
        let x = testTensor([5, 40], seed: 4, scale: 3) + 5  // nonzero everywhere
        x.requiresGrad = true
        var g = RandomGenerator(seed: 12)
        let y = x.dropout(p: 0.4, generator: &g)
        y.sum().backward()
        let grad = x.grad?.scalars ?? []
        let out = y.scalars
        #expect(grad.count == out.count)
        let s = 1 / (1 - Float(0.4))
        for (gi, yi) in zip(grad, out) { #expect(gi == (yi == 0 ? 0 : s)) }
    }

    @Test("gradient matches finite differences")
    func gradients() {
        let x = testTensor([3, 7], seed: 9)
        let start = RandomGenerator(seed: 21)
        let results = gradCheck([x]) { xs in
            var g = start  // the same mask on every evaluation
            return xs[0].dropout(p: 0.3, generator: &g)
        }
        for r in results { #expect(r.passed, "\(r)") }
    }

    @Test("keep rate over 400k elements is 1 − p and the mean is preserved")
    func keepRate() {
        let n = 400_000
        var g = RandomGenerator(seed: 5)
        let y = Tensor(repeating: 1, shape: [n]).dropout(p: 0.1, generator: &g).scalars
        let kept = y.filter { $0 != 0 }.count
        #expect(abs(Double(kept) / Double(n) - 0.9) < 0.003)
        #expect(abs(y.reduce(0.0) { $0 + Double($1) } / Double(n) - 1) < 0.004)
    }

    @Test("a large tensor's mask equals its sequential recomputation (thread-count independent)")
    func threadIndependence() {
        let n = 300_001
        let x = testTensor([n], seed: 2)
        var g = RandomGenerator(seed: 31, stream: 2)
        var reference = g
        let y = x.dropout(p: 0.5, generator: &g).scalars
        let window = reference.reserve(blocks: (n + 3) / 4)
        let xs = x.scalars
        var mismatches = 0
        for i in 0 ..< n {
            let expected: Float = window.uniforms(i / 4)[i % 4] < 0.5 ? 0 : xs[i] * 2
            if y[i] != expected { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }
}
