// Random tensors: uniform, normal and Bernoulli fills driven by RandomGenerator (Philox4x32-10).
// Element i of the result uses reserved block i/4, lane i%4 (normal: lanes (0,1) and (2,3) are
// Box–Muller pairs), so the numbers do not depend on the thread count. Normal uses the Box–Muller
// transform (Box & Muller, Ann. Math. Stat. 29, 1958), evaluated in Double for accuracy:
//   z0 = √(−2 ln u1) · cos(2π u2),  z1 = √(−2 ln u1) · sin(2π u2),  u1 ∈ (0, 1], u2 ∈ [0, 1)
// (u1 is shifted by one step of 2⁻²⁴ so ln never sees 0). Box–Muller rather than Ziggurat:
// exact in distribution, branch-free, and one block always yields four normals.
import Foundation

extension Tensor {
    /// Uniform samples in [low, high): `low + (high − low)·u`, u a multiple of 2⁻²⁴ in [0, 1).
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1,
                               generator: inout RandomGenerator) -> Tensor {
        fillBlocks(shape, &generator) { w, i in
            let u = w.uniforms(i)
            return SIMD4(repeating: low) + SIMD4(repeating: high - low) * u
        }
    }

    /// Normal samples with the given mean and standard deviation (Box–Muller, see the file header).
    public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1,
                              generator: inout RandomGenerator) -> Tensor {
        fillBlocks(shape, &generator) { w, i in
            let b = w.block(i)
            let (z0, z1) = boxMuller(b.x, b.y), (z2, z3) = boxMuller(b.z, b.w)
            return SIMD4(repeating: mean) + SIMD4(repeating: std) * SIMD4(z0, z1, z2, z3)
        }
    }

    /// Bernoulli samples: 1 with probability `p` (exactly when u < p), else 0.
    public static func bernoulli(_ shape: [Int], p: Float, generator: inout RandomGenerator) -> Tensor {
        fillBlocks(shape, &generator) { w, i in
            SIMD4<Float>(repeating: 0).replacing(with: 1, where: w.uniforms(i) .< p)
        }
    }

    /// Two standard normals from two 32-bit words (Box–Muller in Double).
    @inline(__always)
    static func boxMuller(_ a: UInt32, _ b: UInt32) -> (Float, Float) {
        let u1 = (Double(a >> 8) + 1) * 0x1p-24  // (0, 1]
        let u2 = Double(b >> 8) * 0x1p-24        // [0, 1)
        let r = (-2 * Foundation.log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        return (Float(r * Foundation.cos(theta)), Float(r * Foundation.sin(theta)))
    }

    /// A tensor of `shape` whose element 4i+k is lane k of `f(blocks, i)`; reserves ⌈count/4⌉ blocks.
    static func fillBlocks(_ shape: [Int], _ generator: inout RandomGenerator,
                           _ f: (RandomBlocks, Int) -> SIMD4<Float>) -> Tensor {
        precondition(shape.allSatisfy { $0 >= 0 }, "random tensor: invalid shape \(shape)")
        let out = Tensor.uninitialized(shape)
        let n = out.count
        let blocks = (n + 3) / 4
        let window = generator.reserve(blocks: blocks)
        out.withUnsafeMutableBuffer { o in
            Parallel.forRanges(blocks, costPerItem: 64) { r in
                for i in r {
                    let v = f(window, i)
                    for k in 0 ..< Swift.min(4, n - 4 * i) { o[4 * i + k] = v[k] }
                }
            }
        }
        return out
    }
}
