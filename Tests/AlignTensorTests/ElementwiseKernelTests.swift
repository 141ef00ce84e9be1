// The vector loops of the elementwise kernels (ActivationKernels, AdamW's update) against per-element
// references, on lengths that are not a multiple of 8, and one long enough to split across threads: the
// activations split on chunk edges and their one partial chunk takes the tail path; AdamW splits on elements,
// so each thread's range ends in a scalar tail.
// SiLU/SwiGLU/GELU-tanh are checked against Float64 formulas (the vector exp is within 2 ulp); AdamW's vector
// update against its scalar loop bit for bit (same operations, each correctly rounded).
@testable import AlignTensor
import AlignTestSupport
import Foundation
import Testing

@Suite("elementwise kernels: vector loops and tails")
struct ElementwiseKernelTests {
    /// Lengths: tail only, whole chunks only, whole chunks + tail, and a long one split across threads.
    static let lengths = [5, 64, 8 * 13 + 7, 200_003]

    static func values(_ n: Int, seed: UInt64, scale: Float) -> [Float] {
        testValues(n, seed: seed).map { $0 * scale }
    }

    static func sigmoid(_ x: Double) -> Double { 1 / (1 + Foundation.exp(-x)) }

    /// Largest |a − b| / (|b| + 1e-6·max|b|): relative, with a floor for values near zero.
    static func worst(_ a: [Float], _ b: [Double]) -> Double {
        let floor = 1e-6 * (b.map(abs).max() ?? 0)
        return zip(a, b).map { abs(Double($0) - $1) / (abs($1) + floor) }.max() ?? 0
    }

    /// Largest |a − b| / max|b|, for formulas that cancel in Float32 (SiLU′ and SwiGLU's d gate near the zero of
    /// 1 + x(1 − σ), tanh-GELU's 1 + tanh and 1 − tanh² for large |x|, where tanh is within ~1e-7 absolute).
    static func worstAbsolute(_ a: [Float], _ b: [Double]) -> Double {
        let scale = b.map(abs).max() ?? 1
        return zip(a, b).map { abs(Double($0) - $1) }.max().map { $0 / scale } ?? 0
    }

    /// `kernel` over all n floats equals it applied to each float alone (the partial-chunk path), bit for bit.
    static func lanewise(_ n: Int, _ x: [Float], _ d: [Float],
                         _ kernel: (UnsafeMutablePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, Int) -> Void) -> Bool {
        var whole = [Float](repeating: .nan, count: n), single = whole
        kernel(&whole, x, d, n)
        single.withUnsafeMutableBufferPointer { o in x.withUnsafeBufferPointer { xb in d.withUnsafeBufferPointer { db in
            for i in 0 ..< n { kernel(o.baseAddress! + i, xb.baseAddress! + i, db.baseAddress! + i, 1) }
        } } }
        return whole == single
    }

    @Test("SwiGLU forward and backward (with the recomputed activation) match Float64 formulas", arguments: lengths)
    func swiglu(n: Int) {
        let (g, u, d) = (Self.values(n, seed: 1, scale: 12), Self.values(n, seed: 2, scale: 3), Self.values(n, seed: 3, scale: 2))
        var out = [Float](repeating: .nan, count: n), act = out, dg = out, du = out
        ActivationKernels.swigluForward(out: &out, gate: g, up: u, count: n)
        ActivationKernels.swigluBackward(dgate: &dg, dup: &du, act: &act, dout: d, gate: g, up: u, count: n)
        var (refAct, refDg, refDu) = ([Double](), [Double](), [Double]())
        for i in 0 ..< n {
            let (gi, ui, di) = (Double(g[i]), Double(u[i]), Double(d[i]))
            let s = Self.sigmoid(gi)
            refAct.append(gi * s * ui)
            refDg.append(di * ui * s * (1 + gi * (1 - s)))
            refDu.append(di * gi * s)
        }
        #expect(Self.worst(out, refAct) < 2e-6)
        #expect(act == out, "the backward's activation is the forward's bit for bit")
        #expect(Self.worstAbsolute(dg, refDg) < 1e-6)
        #expect(Self.worst(du, refDu) < 2e-6)
    }

    @Test("SiLU and tanh-GELU forward and backward match Float64 formulas", arguments: lengths)
    func siluGelu(n: Int) {
        let (x, d) = (Self.values(n, seed: 4, scale: 10), Self.values(n, seed: 5, scale: 2))
        var y = [Float](repeating: .nan, count: n), dx = y, gy = y, gdx = y
        ActivationKernels.siluForward(out: &y, x: x, count: n)
        ActivationKernels.siluBackward(dx: &dx, dout: d, x: x, count: n)
        ActivationKernels.geluForward(out: &gy, x: x, count: n, tanhApproximation: true)
        ActivationKernels.geluBackward(dx: &gdx, dout: d, x: x, count: n, tanhApproximation: true)
        let c: Double = (2 / Double.pi).squareRoot(), k = 0.044715
        var (ry, rdx, rgy, rgdx) = ([Double](), [Double](), [Double](), [Double]())
        for i in 0 ..< n {
            let (xi, di) = (Double(x[i]), Double(d[i]))
            let s = Self.sigmoid(xi)
            let t = Foundation.tanh(c * (xi + k * xi * xi * xi))
            let right: Double = 0.5 * xi * (1 - t * t) * c * (1 + 3 * k * xi * xi)
            ry.append(xi * s)
            rdx.append(di * s * (1 + xi * (1 - s)))
            rgy.append(0.5 * xi * (1 + t))
            rgdx.append(di * (0.5 * (1 + t) + right))
        }
        #expect(Self.worst(y, ry) < 2e-6)
        #expect(Self.worstAbsolute(dx, rdx) < 1e-6)
        #expect(Self.worstAbsolute(gy, rgy) < 1e-6)
        #expect(Self.worstAbsolute(gdx, rgdx) < 2e-6)
        typealias K = ActivationKernels
        #expect(Self.lanewise(n, x, d) { o, x, _, n in K.siluForward(out: o, x: x, count: n) })
        #expect(Self.lanewise(n, x, d) { o, x, d, n in K.siluBackward(dx: o, dout: d, x: x, count: n) })
        #expect(Self.lanewise(n, x, d) { o, x, _, n in K.geluForward(out: o, x: x, count: n, tanhApproximation: true) })
        #expect(Self.lanewise(n, x, d) { o, x, d, n in K.geluBackward(dx: o, dout: d, x: x, count: n, tanhApproximation: true) })
        #expect(Self.lanewise(n, x, d) { o, g, u, n in K.swigluForward(out: o, gate: g, up: u, count: n) })
    }

    @Test("AdamW's vector update equals its scalar loop bit for bit", arguments: lengths)
    func adamw(n: Int) {
        let s = AdamWScalars(decay: 0.999, w1: 0.1, beta2: 0.999, c2: 0.001, bc2Sqrt: 0.0447, eps: 1e-8, negStepSize: -3e-3)
        let g = Self.values(n, seed: 6, scale: 1)
        var p = Self.values(n, seed: 7, scale: 1), m = Self.values(n, seed: 8, scale: 0.1)
        var v = Self.values(n, seed: 9, scale: 0.01).map(abs)
        var (p2, m2, v2) = (p, m, v)
        for i in 0 ..< n {  // the kernel's scalar loop, element by element
            let x = p2[i] * s.decay
            m2[i] = AdamW.lerp(m2[i], g[i], s.w1)
            v2[i] = fusedMultiplyAdd(s.c2 * g[i], g[i], v2[i] * s.beta2)
            p2[i] = x + (s.negStepSize * m2[i]) / (v2[i].squareRoot() / s.bc2Sqrt + s.eps)
        }
        p.withUnsafeMutableBufferPointer { pb in m.withUnsafeMutableBufferPointer { mb in
            v.withUnsafeMutableBufferPointer { vb in g.withUnsafeBufferPointer { gb in AdamW.kernel(pb, gb, mb, vb, nil, s) } }
        } }
        #expect(p == p2)
        #expect(m == m2)
        #expect(v == v2)
    }
}
