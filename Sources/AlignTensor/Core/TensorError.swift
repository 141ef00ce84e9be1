// TensorError: the typed errors AlignTensor throws for input a user can supply
// (buffers of the wrong size or dtype, shapes that do not fit an op).

/// An error caused by data or shapes handed to AlignTensor. Each message names the op
/// (or the buffer) and what was expected.
public enum TensorError: Error, CustomStringConvertible, Equatable {
    /// `op` got operands whose shapes do not fit; `expected` says what would.
    case shapeMismatch(op: String, shapes: [[Int]], expected: String)
    /// A buffer holds `actual` elements where `shape` needs `expected`.
    case sizeMismatch(what: String, shape: [Int], expected: Int, actual: Int)
    /// A byte buffer's length is not a whole number of `dtype` elements.
    case byteCountMismatch(what: String, dtype: String, byteCount: Int, expectedBytes: Int)
    /// A dtype name AlignTensor cannot convert.
    case unsupportedDType(String)
    /// A shape with a negative dimension.
    case invalidShape(op: String, shape: [Int])
    /// An index outside its range (e.g. a token id ≥ vocabulary size).
    case indexOutOfRange(op: String, index: Int, bound: Int)
    /// A setting or a named entry that `op` cannot accept (an optimizer hyperparameter out of
    /// range, an optimizer state naming an unknown parameter); `expected` says what would do.
    case invalidArgument(op: String, argument: String, expected: String)

    public var description: String {
        switch self {
        case let .shapeMismatch(op, shapes, expected):
            let s = shapes.map { "\($0)" }.joined(separator: " and ")
            return "\(op): shapes \(s) do not fit; expected \(expected)"
        case let .sizeMismatch(what, shape, expected, actual):
            return "\(what): shape \(shape) needs \(expected) elements, got \(actual)"
        case let .byteCountMismatch(what, dtype, byteCount, expectedBytes):
            return "\(what): \(byteCount) bytes of \(dtype), expected \(expectedBytes)"
        case let .unsupportedDType(name):
            return "unsupported dtype '\(name)'; expected F32, F16 or BF16"
        case let .invalidShape(op, shape):
            return "\(op): invalid shape \(shape); dimensions must be ≥ 0"
        case let .indexOutOfRange(op, index, bound):
            return "\(op): index \(index) out of range 0..<\(bound)"
        case let .invalidArgument(op, argument, expected):
            return "\(op): invalid \(argument); expected \(expected)"
        }
    }
}

/// Stops on a programmer error with the typed error's message. Ops validate shapes with a
/// throwing check (tested directly) and call this when the check fails, so misuse inside
/// the library names the op and the shapes instead of crashing somewhere in a kernel.
@inline(never)
func shapeFailure(_ error: Error) -> Never {
    preconditionFailure("\(error)")
}

/// Runs a throwing shape check and turns its error into a named precondition failure.
@inline(__always)
func checked<T>(_ body: () throws -> T) -> T {
    do { return try body() } catch { shapeFailure(error) }
}
