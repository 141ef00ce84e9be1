// assertClose: compares float arrays and reports the max absolute and relative difference.
import AlignTensor

/// The result of comparing two float sequences.
public struct CloseReport: CustomStringConvertible, Sendable {
    public let maxAbs: Double
    public let maxRel: Double
    public let worstIndex: Int
    public let countMismatch: Bool
    public let passed: Bool

    public var description: String {
        countMismatch ? "element counts differ"
            : "max abs diff \(maxAbs), max rel diff \(maxRel) at index \(worstIndex)"
    }
}

/// Elementwise |a − b| ≤ atol + rtol·|b| (numpy.allclose with `expected` as b); NaNs must coincide.
public func compareClose<A: Collection, B: Collection>(_ actual: A, _ expected: B, atol: Double = 1e-6,
                                                       rtol: Double = 1e-5) -> CloseReport
where A.Element: BinaryFloatingPoint, B.Element: BinaryFloatingPoint {
    guard actual.count == expected.count else {
        return CloseReport(maxAbs: .infinity, maxRel: .infinity, worstIndex: -1, countMismatch: true, passed: false)
    }
    var maxAbs = 0.0, maxRel = 0.0, worst = -1, ok = true
    for (i, (x, y)) in zip(actual, expected).enumerated() {
        let a = Double(x), b = Double(y)
        if a.isNaN || b.isNaN {
            if !(a.isNaN && b.isNaN) { ok = false; worst = i; maxAbs = .nan }
            continue
        }
        if a == b { continue }  // equal infinities included
        let d = Swift.abs(a - b), r = d / Swift.max(Swift.abs(b), 1e-30)
        if d > maxAbs { maxAbs = d; worst = i }
        maxRel = Swift.max(maxRel, r)
        if !(d <= atol + rtol * Swift.abs(b)) { ok = false }
    }
    return CloseReport(maxAbs: maxAbs, maxRel: maxRel, worstIndex: worst, countMismatch: false, passed: ok)
}

/// Compares a tensor with expected values; see `compareClose`.
public func compareClose(_ actual: Tensor, _ expected: [Float], atol: Double = 1e-6, rtol: Double = 1e-5) -> CloseReport {
    compareClose(actual.scalars, expected, atol: atol, rtol: rtol)
}
