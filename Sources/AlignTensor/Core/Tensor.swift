// Tensor: a row-major Float32 array with an optional place on the autodiff tape.
// Contiguous always; views (reshape, leading-row ranges) share storage with an offset.
// Transposes for matmul are passed to BLAS as flags, never materialized.

/// A row-major Float32 tensor. Reference type: parameters are updated in place and
/// gradients are attached to the tensor that needs them (PyTorch's leaf semantics).
///
///     let x = try Tensor([1, 2, 3, 4], shape: [2, 2])
///     x.requiresGrad = true
///     let y = (x * x).sum()
///     y.backward()          // x.grad == 2·x
public final class Tensor: @unchecked Sendable {
    /// Dimensions, outermost first. `[]` is a scalar.
    public let shape: [Int]
    /// Number of elements.
    public let count: Int
    /// The storage this tensor reads; shared with views. Never reassigned: `var` only so that the tape can ask
    /// `isKnownUniquelyReferenced` whether a gradient's storage has other owners (Autograd.swift).
    public internal(set) var storage: TensorStorage
    /// First element's index in `storage`.
    public let offset: Int

    /// Leaf flag: accumulate a gradient into `grad` on `backward()`. Frozen parameters leave it false.
    public var requiresGrad: Bool = false
    /// The accumulated gradient (same shape), or nil before the first backward.
    public var grad: Tensor?
    /// The op that produced this tensor, when it was recorded on the tape.
    var node: GradNode?

    /// A tensor over `storage[offset ..< offset + count(shape)]`.
    init(storage: TensorStorage, offset: Int, shape: [Int]) {
        self.storage = storage
        self.offset = offset
        self.shape = shape
        self.count = Shape.count(shape)
    }

    /// A zero-filled tensor.
    public convenience init(zeros shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor(zeros:): invalid shape \(shape)")
        self.init(storage: TensorStorage(count: Shape.count(shape)), offset: 0, shape: shape)
    }

    /// A tensor whose elements are all `value`.
    public convenience init(repeating value: Float, shape: [Int]) {
        self.init(zeros: shape)
        storage.buffer.update(repeating: value)
    }

    /// A tensor holding `values` in row-major order. Throws if the count does not match the shape.
    public convenience init(_ values: [Float], shape: [Int]) throws {
        guard shape.allSatisfy({ $0 >= 0 }) else { throw TensorError.invalidShape(op: "Tensor.init", shape: shape) }
        let n = Shape.count(shape)
        guard values.count == n else {
            throw TensorError.sizeMismatch(what: "Tensor.init", shape: shape, expected: n, actual: values.count)
        }
        self.init(storage: TensorStorage(uninitializedCount: n), offset: 0, shape: shape)
        _ = storage.buffer.initialize(from: values)
    }

    /// A scalar tensor.
    public convenience init(scalar value: Float) {
        self.init(repeating: value, shape: [])
    }

    /// An uninitialized tensor for kernels that write every element.
    static func uninitialized(_ shape: [Int]) -> Tensor {
        Tensor(storage: TensorStorage(uninitializedCount: Shape.count(shape)), offset: 0, shape: shape)
    }

    /// Number of dimensions.
    public var rank: Int { shape.count }

    /// Read access to this tensor's elements.
    @inlinable
    public func withUnsafeBuffer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(rebasing: storage.buffer[offset ..< offset + count]))
    }

    /// Write access to this tensor's elements (shared with views of the same storage).
    @inlinable
    public func withUnsafeMutableBuffer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeMutableBufferPointer(rebasing: storage.buffer[offset ..< offset + count]))
    }

    /// The elements as an array (copies).
    public var scalars: [Float] { withUnsafeBuffer { Array($0) } }

    /// The single element of a one-element tensor.
    public func item() -> Float {
        precondition(count == 1, "item(): tensor of shape \(shape) has \(count) elements, expected 1")
        return storage.buffer[offset]
    }

    /// A copy with its own storage and no tape history.
    public func copy() -> Tensor {
        let out = Tensor.uninitialized(shape)
        out.withUnsafeMutableBuffer { dst in withUnsafeBuffer { src in
            _ = dst.initialize(fromContentsOf: src)
        } }
        return out
    }

    /// The same storage, cut off from the tape (like PyTorch's `detach`).
    public func detached() -> Tensor {
        Tensor(storage: storage, offset: offset, shape: shape)
    }

    /// Overwrites every element with `value` (in place, not recorded).
    public func fill(_ value: Float) {
        withUnsafeMutableBuffer { $0.update(repeating: value) }
    }

    /// Copies `other`'s elements into this tensor (in place, not recorded). Shapes must have equal counts.
    public func assign(_ other: Tensor) {
        precondition(other.count == count, "assign: \(other.shape) into \(shape)")
        withUnsafeMutableBuffer { dst in other.withUnsafeBuffer { src in
            _ = dst.update(fromContentsOf: src)
        } }
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let preview = withUnsafeBuffer { $0.prefix(8).map { "\($0)" }.joined(separator: ", ") }
        return "Tensor(shape: \(shape), [\(preview)\(count > 8 ? ", …" : "")])"
    }
}
