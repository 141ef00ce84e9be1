// The softmax family's row statistics (SoftmaxKernels.rowStats: max and Σ exp(scale·x − max)),
// whose sum uses the sum-only exp with its rounding compensation: against a Float64 reference on
// rows with large offsets and temperatures, where an uncompensated L = scale·log2 e or
// C = −max·log2 e rounded to Float would be off by ~1e-6 relative.
import Foundation
import Testing
@testable import AlignTensor

@Suite("softmax row statistics")
struct RowStatsTests {
    @Test("max and Σexp match Float64 within 4e-7 relative for offsets up to 1000 and scales 0.3–2", arguments: [
        (Float(0), Float(1)), (50, 1), (-30, 1), (1000, 1), (37.3, 0.7), (80, 0.3), (12.5, 2),
    ])
    func againstFloat64(offset: Float, scale: Float) {
        var g = RandomGenerator(seed: 11)
        let n = 4099  // several 512-float blocks and a ragged tail
        var x = (0 ..< n).map { _ in offset + 8 * (g.nextUniform() - 0.5) }
        x[1234] = -.infinity  // a masked logit contributes exactly nothing
        let (m, s) = x.withUnsafeBufferPointer { SoftmaxKernels.rowStats($0.baseAddress!, n, scale: scale) }
        let mRef = (x.max() ?? 0) * scale  // rounding is monotone: max(scale·x) = scale·max(x)
        let sRef = x.reduce(0.0) { $0 + Foundation.exp(Double($1) * Double(scale) - Double(m)) }
        #expect(m == mRef)
        #expect(abs(s / sRef - 1) < 4e-7, "sum \(s) vs \(sRef): \(abs(s / sRef - 1)) relative")
    }
}
