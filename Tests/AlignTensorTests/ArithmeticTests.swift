import Testing
import AlignTensor
import AlignTestSupport

@Suite("elementwise arithmetic")
struct ArithmeticTests {
    @Test("binary ops broadcast a bias over the last dim, a column and a scalar")
    func broadcastForward() throws {
        let a = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        let bias = try Tensor([10, 20, 30], shape: [3])
        let col = try Tensor([100, 200], shape: [2, 1])
        #expect((a + bias).scalars == [11, 22, 33, 14, 25, 36])
        #expect((a * col).scalars == [100, 200, 300, 800, 1000, 1200])
        #expect((a - 1).scalars == [0, 1, 2, 3, 4, 5])
        #expect((6 / a).scalars == [6, 3, 2, 1.5, 1.2, 1])
        #expect(Tensor.maximum(a, Tensor(scalar: 3.5)).scalars == [3.5, 3.5, 3.5, 4, 5, 6])
    }

    @Test("a general broadcast [2,1,3] × [1,2,1] matches the hand-computed table")
    func generalBroadcast() throws {
        let a = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 1, 3])
        let b = try Tensor([10, 100], shape: [1, 2, 1])
        let c = a * b
        #expect(c.shape == [2, 2, 3])
        #expect(c.scalars == [10, 20, 30, 100, 200, 300, 40, 50, 60, 400, 500, 600])
    }

    @Test("unary ops match libm and stay finite at extremes")
    func unaryForward() throws {
        let x = try Tensor([-100, -1, 0, 1, 100], shape: [5])
        let ls = x.logSigmoid().scalars
        #expect(ls[0] == -100)
        #expect(Swift.abs(ls[1] - (-1.3132616)) < 1e-6)
        #expect(Swift.abs(ls[2] - (-0.6931472)) < 1e-6)
        #expect(ls[4] == 0 || Swift.abs(ls[4]) < 1e-30)
        let s = x.sigmoid().scalars
        #expect(s[0] >= 0 && s[0] < 1e-38 && s[2] == 0.5 && s[4] == 1)
        #expect(x.relu().scalars == [0, 0, 0, 1, 100])
        #expect(x.clamped(min: -1, max: 1).scalars == [-1, -1, 0, 1, 1])
        #expect(x.softplus().scalars[4] == 100 && Swift.abs(x.softplus().scalars[2] - 0.6931472) < 1e-7)
        // log(1 − e^−1e-8) ≈ log(1e-8) and log(1 − e^−40) ≈ −e^−40: both ends stay accurate.
        let l = (try Tensor([-1e-8, -40], shape: [2])).log1mexp().scalars
        #expect(Swift.abs(l[0] - (-18.420681)) < 1e-4 && Swift.abs(l[1] / -4.248354e-18 - 1) < 1e-5)
    }

    @Test("binary op gradients match finite differences, with broadcasting")
    func binaryGradients() {
        let cases: [([Int], [Int])] = [([2, 3], [2, 3]), ([2, 3], [3]), ([2, 1, 3], [1, 2, 1]), ([2, 3], [])]
        for (sa, sb) in cases {
            let a = testTensor(sa, seed: 1)
            let b = testTensor(sb, seed: 2) + 2  // keep the divisor away from zero
            let b0 = b.detached()
            for r in gradCheck([a, b0], { x in (x[0] + x[1]) * x[0] - x[1] / (x[0] + 3) }) {
                #expect(r.passed, "\(sa) \(sb) \(r)")
            }
        }
    }

    @Test("maximum and minimum route gradients to the larger / smaller operand")
    func maxMinGradients() throws {
        // Operands at least 0.1 apart, so the ±1e-2 finite-difference steps never cross a kink.
        let a = try Tensor([0.5, -0.3, 0.9, -0.8, 0.1, 0.6], shape: [2, 3])
        let b = try Tensor([0.2, 0.4, -0.5], shape: [3])
        for r in gradCheck([a, b], { x in Tensor.maximum(x[0], x[1]) * 2 + Tensor.minimum(x[0], x[1]) }) {
            #expect(r.passed, "\(r)")
        }
    }

    @Test("unary op gradients match finite differences")
    func unaryGradients() {
        let x = testTensor([3, 4], seed: 3, scale: 2)
        let pos = (testTensor([3, 4], seed: 4).abs() + 0.5)
        let checks: [(String, Tensor, (Tensor) -> Tensor)] = [
            ("exp", x, { $0.exp() }), ("log", pos, { $0.log() }), ("sqrt", pos, { $0.sqrt() }),
            ("square", x, { $0.square() }), ("sigmoid", x, { $0.sigmoid() }),
            ("logSigmoid", x, { $0.logSigmoid() }), ("tanh", x, { $0.tanh() }), ("neg", x, { -$0 }),
            ("clamp", x, { $0.clamped(min: -0.95, max: 0.75) }), ("softplus", x, { $0.softplus() }),
            ("log1mexp", pos, { (-$0).log1mexp() }),
        ]
        for (name, input, f) in checks {
            for r in gradCheck([input], { f($0[0]) }) { #expect(r.passed, "\(name): \(r)") }
        }
    }
}
