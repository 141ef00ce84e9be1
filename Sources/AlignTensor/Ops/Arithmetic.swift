// Arithmetic: broadcasting binary ops, unary elementwise ops and scalar conveniences,
// each recorded on the tape with the rules in Autodiff/Rules.swift.

extension Tensor {
    /// op(a, b) with PyTorch broadcasting; gradients are summed back to each operand's shape.
    public static func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor) -> Tensor {
        let shape = checked { try Shape.broadcast(a.shape, b.shape, op: "\(op)") }
        let out = BroadcastKernels.binary(op, a, b, outShape: shape)
        // Operands are captured only when the rule reads them (not for add/sub), so they are not kept alive.
        let operands = op.readsOperands ? (a, b) : nil
        return record("\(op)", out, [a, b]) { [aShape = a.shape, bShape = b.shape] g in
            let (ga, gb) = op.partials(g, operands?.0 ?? g, operands?.1 ?? g)
            return [BroadcastKernels.sumTo(ga, aShape), BroadcastKernels.sumTo(gb, bShape)]
        }
    }

    /// f(x) elementwise, with f and f′ from `UnaryOp`.
    public func unary(_ op: UnaryOp) -> Tensor {
        let out = Tensor.uninitialized(shape)
        withUnsafeBuffer { x in out.withUnsafeMutableBuffer { y in
            Parallel.forRanges(x.count, costPerItem: 4) { r in for i in r { y[i] = op.forward(x[i]) } }
        } }
        return Tensor.record("\(op)", out, [self]) { [self] g in
            let dx = Tensor.uninitialized(self.shape)
            self.withUnsafeBuffer { x in out.withUnsafeBuffer { y in g.withUnsafeBuffer { gp in
                dx.withUnsafeMutableBuffer { d in
                    Parallel.forRanges(x.count, costPerItem: 4) { r in
                        for i in r { d[i] = gp[i] * op.derivative(x[i], y[i]) }
                    }
                }
            } } }
            return [dx]
        }
    }

    /// A 0/1-valued (or any) constant tensor from comparing `a` and `b` elementwise; never recorded.
    static func compare(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        let shape = checked { try Shape.broadcast(a.shape, b.shape, op: "compare") }
        let ab = a.shape == shape ? a : Autograd.withoutGrad { a.broadcast(to: shape) }
        let bb = b.shape == shape ? b : Autograd.withoutGrad { b.broadcast(to: shape) }
        let out = Tensor.uninitialized(shape)
        ab.withUnsafeBuffer { pa in bb.withUnsafeBuffer { pb in out.withUnsafeMutableBuffer { po in
            for i in 0 ..< po.count { po[i] = f(pa[i], pb[i]) }
        } } }
        return out
    }

    public static func + (a: Tensor, b: Tensor) -> Tensor { binary(.add, a, b) }
    public static func - (a: Tensor, b: Tensor) -> Tensor { binary(.sub, a, b) }
    public static func * (a: Tensor, b: Tensor) -> Tensor { binary(.mul, a, b) }
    public static func / (a: Tensor, b: Tensor) -> Tensor { binary(.div, a, b) }
    public static prefix func - (a: Tensor) -> Tensor { a.unary(.neg) }

    public static func + (a: Tensor, s: Float) -> Tensor { binary(.add, a, Tensor(scalar: s)) }
    public static func - (a: Tensor, s: Float) -> Tensor { binary(.sub, a, Tensor(scalar: s)) }
    public static func * (a: Tensor, s: Float) -> Tensor { binary(.mul, a, Tensor(scalar: s)) }
    public static func / (a: Tensor, s: Float) -> Tensor { binary(.div, a, Tensor(scalar: s)) }
    public static func + (s: Float, a: Tensor) -> Tensor { binary(.add, Tensor(scalar: s), a) }
    public static func - (s: Float, a: Tensor) -> Tensor { binary(.sub, Tensor(scalar: s), a) }
    public static func * (s: Float, a: Tensor) -> Tensor { binary(.mul, Tensor(scalar: s), a) }
    public static func / (s: Float, a: Tensor) -> Tensor { binary(.div, Tensor(scalar: s), a) }

    /// Elementwise maximum / minimum with broadcasting.
    public static func maximum(_ a: Tensor, _ b: Tensor) -> Tensor { binary(.maximum, a, b) }
    public static func minimum(_ a: Tensor, _ b: Tensor) -> Tensor { binary(.minimum, a, b) }

    public func exp() -> Tensor { unary(.exp) }
    public func log() -> Tensor { unary(.log) }
    public func sqrt() -> Tensor { unary(.sqrt) }
    public func square() -> Tensor { unary(.square) }
    public func abs() -> Tensor { unary(.abs) }
    public func relu() -> Tensor { unary(.relu) }
    public func sigmoid() -> Tensor { unary(.sigmoid) }
    /// log σ(x), computed stably for large |x|.
    public func logSigmoid() -> Tensor { unary(.logSigmoid) }
    public func tanh() -> Tensor { unary(.tanh) }
    /// log(1 + eˣ), stable for large |x|.
    public func softplus() -> Tensor { unary(.softplus) }
    /// log(1 − eˣ) for x < 0, stable near 0 and for very negative x.
    public func log1mexp() -> Tensor { unary(.log1mexp) }

    /// Clamps to [lo, hi]; the gradient is 1 inside the interval and 0 outside (torch.clamp).
    public func clamped(min lo: Float = -.infinity, max hi: Float = .infinity) -> Tensor {
        let out = Tensor.uninitialized(shape)
        withUnsafeBuffer { x in out.withUnsafeMutableBuffer { y in
            for i in 0 ..< x.count { y[i] = Swift.min(Swift.max(x[i], lo), hi) }
        } }
        return Tensor.record("clamp", out, [self]) { [self] g in
            let mask = Tensor.compare(self, Tensor(scalar: 0)) { x, _ in x >= lo && x <= hi ? 1 : 0 }
            return [g * mask]
        }
    }
}
