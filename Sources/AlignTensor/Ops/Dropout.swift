// Seeded dropout with inverted scaling, as torch.nn.functional.dropout in training mode: each
// element is zeroed with probability p and the survivors are scaled by 1/(1 − p), so the
// expectation is unchanged and evaluation needs no rescaling. The mask comes from a reserved
// window of RandomGenerator blocks (element i: block i/4, lane i%4, dropped iff u < p), so it is
// the same for any thread count, and backward regenerates that exact mask from the window
// instead of storing it. PyTorch's CPU dropout draws from mt19937, so masks are not torch's.

extension Tensor {
    /// Zeroes each element with probability `p` and scales the rest by 1/(1 − p) (training), or
    /// returns `self` unchanged when `training` is false or p = 0. p = 1 gives zeros.
    ///
    ///     var rng = RandomGenerator(seed: 0)
    ///     let h = x.dropout(p: 0.1, generator: &rng)
    ///
    /// - Parameters:
    ///   - p: drop probability in [0, 1].
    ///   - generator: advanced by ⌈count/4⌉ blocks when dropout is applied.
    ///   - training: false makes this the identity (no random numbers drawn).
    public func dropout(p: Float, generator: inout RandomGenerator, training: Bool = true) -> Tensor {
        precondition(p >= 0 && p <= 1, "dropout: p = \(p) outside [0, 1]")
        guard training, p > 0 else { return self }
        let window = generator.reserve(blocks: (count + 3) / 4)
        let keepScale: Float = p == 1 ? 0 : 1 / (1 - p)
        let out = Tensor.applyDropout(self, window, p: p, keepScale: keepScale)
        return Tensor.record("dropout", out, [self]) { g in
            [Tensor.applyDropout(g, window, p: p, keepScale: keepScale)]
        }
    }

    /// x ⊙ mask / (1 − p) with the mask of `window`; used by forward (on x) and backward (on g).
    static func applyDropout(_ x: Tensor, _ window: RandomBlocks, p: Float, keepScale: Float) -> Tensor {
        let out = Tensor.uninitialized(x.shape)  // same shape as x
        let n = x.count
        x.withUnsafeBuffer { src in out.withUnsafeMutableBuffer { dst in
            Parallel.forRanges((n + 3) / 4, costPerItem: 48) { r in
                for i in r {
                    let u = window.uniforms(i)
                    for k in 0 ..< Swift.min(4, n - 4 * i) {
                        dst[4 * i + k] = u[k] < p ? 0 : src[4 * i + k] * keepScale
                    }
                }
            }
        } }
        return out
    }
}
