// The primitive derivative rules, in one table (tinygrad's habit): each unary op's forward
// and derivative side by side, and each binary op's partial derivatives. Fused ops (norms,
// attention, log-softmax+gather, …) carry their own backward beside their forward instead.

/// Unary elementwise primitives.
public enum UnaryOp: Sendable {
    case neg, exp, log, sqrt, square, abs, relu, sigmoid, logSigmoid, tanh, softplus, log1mexp

    /// y = f(x).
    @inline(__always) @usableFromInline
    func forward(_ x: Float) -> Float {
        switch self {
        case .neg: return -x
        case .exp: return Foundation.exp(x)
        case .log: return Foundation.log(x)
        case .sqrt: return x.squareRoot()
        case .square: return x * x
        case .abs: return Swift.abs(x)
        case .relu: return x > 0 ? x : 0
        case .sigmoid:  // branch on sign so exp never overflows
            return x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x))
        case .logSigmoid:  // log σ(x) = min(x, 0) − log1p(e^−|x|), stable for both signs
            return Swift.min(x, 0) - Foundation.log1p(Foundation.exp(-Swift.abs(x)))
        case .tanh: return Foundation.tanh(x)
        case .softplus:  // log(1 + eˣ) = max(x, 0) + log1p(e^−|x|)
            return Swift.max(x, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(x)))
        case .log1mexp:  // log(1 − eˣ) for x < 0, branching at −ln 2 to avoid cancellation (Mächler 2012)
            return x < -0.6931472 ? Foundation.log1p(-Foundation.exp(x)) : Foundation.log(-Foundation.expm1(x))
        }
    }

    /// dy/dx given x and y = f(x).
    @inline(__always) @usableFromInline
    func derivative(_ x: Float, _ y: Float) -> Float {
        switch self {
        case .neg: return -1
        case .exp: return y
        case .log: return 1 / x
        case .sqrt: return 0.5 / y
        case .square: return 2 * x
        case .abs: return x > 0 ? 1 : (x < 0 ? -1 : 0)
        case .relu: return x > 0 ? 1 : 0
        case .sigmoid: return y * (1 - y)
        case .logSigmoid: return UnaryOp.sigmoid.forward(-x)  // 1 − σ(x)
        case .tanh: return 1 - y * y
        case .softplus: return UnaryOp.sigmoid.forward(x)
        case .log1mexp: return -1 / Foundation.expm1(-x)  // d/dx log(1 − eˣ) = −eˣ/(1 − eˣ)
        }
    }
}

extension BinaryOp {
    /// Whether `partials` reads the operands' values. Add and sub do not, so their backward keeps no operand
    /// alive (a residual add would otherwise hold both of its [B, T, C] inputs until the backward).
    var readsOperands: Bool { self != .add && self != .sub }

    /// (∂/∂a, ∂/∂b) of op(a, b), before summing back over broadcast dims. `a` and `b` are only read when
    /// `readsOperands`.
    func partials(_ g: Tensor, _ a: Tensor, _ b: Tensor) -> (Tensor, Tensor) {
        switch self {
        case .add: return (g, g)
        case .sub: return (g, -g)
        case .mul: return (g * b, g * a)
        case .div: return (g / b, -(g * a) / (b * b))
        case .maximum:  // ties split the gradient in half, as torch.maximum's backward does
            let m = Tensor.compare(a, b) { $0 > $1 ? 1 : ($0 == $1 ? 0.5 : 0) }
            return (g * m, g * (1 - m))
        case .minimum:
            let m = Tensor.compare(a, b) { $0 < $1 ? 1 : ($0 == $1 ? 0.5 : 0) }
            return (g * m, g * (1 - m))
        }
    }
}
import Foundation
