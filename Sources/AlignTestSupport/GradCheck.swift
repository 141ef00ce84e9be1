// gradCheck: the central finite-difference gradient check every op's backward is tested with.
//
// llm.c's trick: instead of a full Jacobian, contract the output with a random upstream
// gradient `dout` and check the directional derivative L = Σ f(x) ⊙ dout for every input
// element. Forward passes run in Float32 (the core is Float32), but L is accumulated and the
// central difference (L(x+h) − L(x−h)) / 2h is formed in Float64, so the only error left is
// Float32 rounding of f itself: with h = 1e-2 on O(1) inputs that is ~1e-5 relative, and the
// truncation error O(h²·f‴) is of the same order. Tolerances below reflect that.
import AlignTensor

/// One input's analytic vs numeric gradient comparison.
public struct GradCheckResult: CustomStringConvertible, Sendable {
    public let input: Int
    public let report: CloseReport
    public var passed: Bool { report.passed }
    public var description: String { "input \(input): \(report)" }
}

/// Deterministic pseudo-random floats in [-1, 1) (SplitMix64), for test inputs and upstream gradients.
public func testValues(_ count: Int, seed: UInt64) -> [Float] {
    var state = seed &+ 0x9E37_79B9_7F4A_7C15
    return (0 ..< count).map { _ in
        state = state &+ 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Float(Double(z >> 40) / Double(1 << 24)) * 2 - 1
    }
}

/// A tensor of `testValues` scaled by `scale`.
public func testTensor(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
    let n = shape.reduce(1, *)
    return try! Tensor(testValues(n, seed: seed).map { $0 * scale }, shape: shape)
}

/// Checks the gradients of `f` with respect to each tensor in `inputs` (those listed in
/// `wrt`, default all) against central finite differences. Inputs are modified in place during
/// the check and restored afterwards.
public func gradCheck(_ inputs: [Tensor], wrt: [Int]? = nil, eps: Float = 1e-2, atol: Double = 1e-3,
                      rtol: Double = 1e-2, seed: UInt64 = 7, _ f: ([Tensor]) -> Tensor) -> [GradCheckResult] {
    let which = wrt ?? Array(inputs.indices)
    for i in which { inputs[i].requiresGrad = true; inputs[i].zeroGrad() }
    let out = f(inputs)
    let dout = testTensor(out.shape, seed: seed)
    out.backward(dout)
    let doutValues = dout.scalars.map(Double.init)

    func loss() -> Double {
        let y = Autograd.withoutGrad { f(inputs) }.scalars
        var s = 0.0
        for (a, b) in zip(y, doutValues) { s += Double(a) * b }
        return s
    }

    return which.map { i in
        let x = inputs[i]
        let analytic = x.grad?.scalars ?? [Float](repeating: 0, count: x.count)
        var numeric = [Double](repeating: 0, count: x.count)
        for j in 0 ..< x.count {
            let orig = x.withUnsafeBuffer { $0[j] }
            x.withUnsafeMutableBuffer { $0[j] = orig + eps }
            let lp = loss()
            x.withUnsafeMutableBuffer { $0[j] = orig - eps }
            let lm = loss()
            x.withUnsafeMutableBuffer { $0[j] = orig }
            numeric[j] = (lp - lm) / (2 * Double(eps))
        }
        x.requiresGrad = false
        return GradCheckResult(input: i, report: compareClose(analytic, numeric, atol: atol, rtol: rtol))
    }
}
