// Softmax and log-softmax over the last axis, with their hand-written backward beside the
// forward (torch.softmax / torch.log_softmax with dim=-1). Kernels: Kernels/SoftmaxKernels.swift.
//   softmax:      y = exp(x − max) / Σ exp(x − max),   dx = y ⊙ (g − Σ g⊙y)
//   log-softmax:  y = (x − max) − log Σ exp(x − max), dx = g − exp(y) · Σ g
// Both save only their output for backward. Other axes are left out: permute first.

extension Tensor {
    /// Checks that a tensor of `shape` has a last axis to normalize over.
    public static func checkLastAxis(_ shape: [Int], op: String) throws {
        guard !shape.isEmpty else {
            throw TensorError.shapeMismatch(op: op, shapes: [shape], expected: "rank ≥ 1 (normalizes the last axis)")
        }
    }

    /// Softmax over the last axis: `[..., V] → [..., V]`, each row summing to 1.
    ///
    ///     let p = logits.softmax()   // logits: [B, T, V]
    public func softmax() -> Tensor {
        checked { try Tensor.checkLastAxis(shape, op: "softmax") }
        let n = shape[rank - 1]
        let out = Tensor.rowwise(self, n, SoftmaxKernels.softmaxRow)
        return Tensor.record("softmax", out, [self]) { g in
            [Tensor.rowwiseBackward(out, g, n, SoftmaxKernels.softmaxBackwardRow)]
        }
    }

    /// Log-softmax over the last axis: `[..., V] → [..., V]`, computed without forming the softmax.
    public func logSoftmax() -> Tensor {
        checked { try Tensor.checkLastAxis(shape, op: "logSoftmax") }
        let n = shape[rank - 1]
        let out = Tensor.rowwise(self, n, SoftmaxKernels.logSoftmaxRow)
        return Tensor.record("logSoftmax", out, [self]) { g in
            [Tensor.rowwiseBackward(out, g, n, SoftmaxKernels.logSoftmaxBackwardRow)]
        }
    }

    /// Applies a row kernel `(x, y, n)` to every row of length `n` of `x`, rows in parallel.
    static func rowwise(_ x: Tensor, _ n: Int,
                        _ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void) -> Tensor {
        let out = Tensor.uninitialized(x.shape)
        guard n > 0 else { return out }
        x.withUnsafeBuffer { px in out.withUnsafeMutableBuffer { po in
            guard let xp = px.baseAddress, let yp = po.baseAddress else { return }
            SoftmaxKernels.forRows(px.count / n, n) { start in kernel(xp + start, yp + start, n) }
        } }
        return out
    }

    /// Applies a backward row kernel `(y, g, dx, n)` to every row, rows in parallel.
    static func rowwiseBackward(
        _ y: Tensor, _ g: Tensor, _ n: Int,
        _ kernel: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void
    ) -> Tensor {
        let dx = Tensor.uninitialized(y.shape)
        guard n > 0 else { return dx }
        y.withUnsafeBuffer { py in g.withUnsafeBuffer { pg in dx.withUnsafeMutableBuffer { pd in
            guard let yp = py.baseAddress, let gp = pg.baseAddress, let dp = pd.baseAddress else { return }
            SoftmaxKernels.forRows(py.count / n, n) { start in kernel(yp + start, gp + start, dp + start, n) }
        } } }
        return dx
    }
}
