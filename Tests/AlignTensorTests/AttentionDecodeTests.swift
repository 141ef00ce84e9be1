// Attention on a KV cache and with a sliding window: the one-query decode path (query heads of a
// group batched into one product), keys read from a buffer longer than the valid length, and the
// sliding window — each against a Float64 reference written from the definition, and the window
// against the same band given as an explicit 4-D boolean mask (forward and gradients).
import Foundation
import Testing
import AlignTensor
import AlignTestSupport

/// Causal GQA attention in Float64 over [B, T, H, D] queries and [B, cap, Hkv, D] keys/values of
/// which the first S are valid: query i sits at key position p = S − T + i and sees keys j ≤ p with
/// p − j < window (if any) and padding[b][j] ≠ 0 (if given).
func referenceCachedAttention(q: [Float], k: [Float], v: [Float], b: Int, h: Int, hkv: Int, t: Int, s: Int, cap: Int,
                              d: Int, window: Int? = nil, padding: [[Float]]? = nil) -> [Double] {
    var out = [Double](repeating: 0, count: b * t * h * d)
    let scale = 1 / Double(d).squareRoot()
    for bi in 0 ..< b { for hi in 0 ..< h { for i in 0 ..< t {
        let p = s - t + i, kvh = hi / (h / hkv)
        let visible = (0 ... p).filter { j in
            (window.map { p - j < $0 } ?? true) && (padding.map { $0[bi][j] != 0 } ?? true)
        }
        let qo = ((bi * t + i) * h + hi) * d
        let ko = { (j: Int) in ((bi * cap + j) * hkv + kvh) * d }
        let scores = visible.map { j in (0 ..< d).reduce(0.0) { $0 + Double(q[qo + $1]) * Double(k[ko(j) + $1]) } * scale }
        let m = scores.max() ?? 0
        let e = scores.map { Foundation.exp($0 - m) }, z = e.reduce(0, +)
        for (n, j) in visible.enumerated() { for c in 0 ..< d { out[qo + c] += e[n] / z * Double(v[ko(j) + c]) } }
    } } }
    return out
}

@Suite("attention on a KV cache and with a sliding window")
struct AttentionDecodeTests {
    @Test("one query per row over the first S of a longer key buffer equals the reference (GQA, padding, both layouts)")
    func decodeOverBuffer() throws {
        let (b, h, hkv, s, cap, d) = (2, 6, 2, 7, 10, 4)
        let q = testTensor([b, 1, h, d], seed: 201), k = testTensor([b, cap, hkv, d], seed: 202)
        let v = testTensor([b, cap, hkv, d], seed: 203)
        let padding: [[Float]] = [[0, 0, 1, 1, 1, 1, 1], [1, 1, 1, 0, 1, 1, 1]]
        let mask = try Tensor(padding.flatMap { $0 }, shape: [b, s])
        let ref = referenceCachedAttention(q: q.scalars, k: k.scalars, v: v.scalars, b: b, h: h, hkv: hkv, t: 1, s: s,
                                           cap: cap, d: d, padding: padding)
        let out = Tensor.scaledDotProductAttention(query: q, key: k, value: v, mask: .keyPadding(mask), layout: .bthd,
                                                   keyLength: s)
        #expect(out.shape == [b, 1, h, d])
        let r = compareClose(out.scalars, ref, atol: 1e-6, rtol: 1e-5)
        #expect(r.passed, "\(r)")
        // [B, H, T, D] layout of the same problem: queries are the same numbers (T = 1), keys permuted.
        let kh = k.permuted([0, 2, 1, 3]), vh = v.permuted([0, 2, 1, 3])  // [B, Hkv, cap, D]
        let outH = Tensor.scaledDotProductAttention(query: q.reshaped([b, h, 1, d]), key: kh, value: vh,
                                                    mask: .keyPadding(mask), keyLength: s)
        #expect(compareClose(outH.scalars, ref, atol: 1e-6, rtol: 1e-5).passed)
    }

    @Test("the decode path (no tape) and the recorded path agree to rounding")
    func decodeMatchesRecorded() throws {
        let q = testTensor([3, 1, 8, 16], seed: 211), k = testTensor([3, 40, 2, 16], seed: 212)
        let v = testTensor([3, 40, 2, 16], seed: 213)
        let fast = Tensor.scaledDotProductAttention(query: q, key: k, value: v, layout: .bthd, keyLength: 33)
        q.requiresGrad = true
        let recorded = Tensor.scaledDotProductAttention(query: q, key: k, value: v, layout: .bthd, keyLength: 33)
        let r = compareClose(fast.scalars, recorded.scalars, atol: 1e-6, rtol: 1e-5)
        #expect(r.passed, "\(r)")
    }

    @Test("a key length beyond the stored keys is a shape error")
    func keyLengthTooLong() {
        #expect(throws: TensorError.self) {
            try Tensor.checkAttention(query: [1, 1, 2, 4], key: [1, 5, 1, 4], value: [1, 5, 1, 4], mask: nil,
                                      causal: true, layout: .bthd, keyLength: 6)
        }
    }

    @Test("a sliding window hides keys W or more positions back, for prefill and decode rows", arguments: [1, 3, 9])
    func slidingWindow(window: Int) throws {
        let (b, h, hkv, t, s, d) = (2, 4, 2, 5, 9, 3)
        let q = testTensor([b, t, h, d], seed: 221), k = testTensor([b, s, hkv, d], seed: 222)
        let v = testTensor([b, s, hkv, d], seed: 223)
        let ref = referenceCachedAttention(q: q.scalars, k: k.scalars, v: v.scalars, b: b, h: h, hkv: hkv, t: t, s: s,
                                           cap: s, d: d, window: window)
        let out = Tensor.scaledDotProductAttention(query: q, key: k, value: v, layout: .bthd, slidingWindow: window)
        #expect(compareClose(out.scalars, ref, atol: 1e-6, rtol: 1e-5).passed, "T = 5, W = \(window)")
        // The last query alone (the decode path) equals the last row.
        let last = testTensor([b, 1, h, d], seed: 224)
        let refLast = referenceCachedAttention(q: last.scalars, k: k.scalars, v: v.scalars, b: b, h: h, hkv: hkv, t: 1,
                                               s: s, cap: s, d: d, window: window)
        let outLast = Tensor.scaledDotProductAttention(query: last, key: k, value: v, layout: .bthd, slidingWindow: window)
        #expect(compareClose(outLast.scalars, refLast, atol: 1e-6, rtol: 1e-5).passed, "T = 1, W = \(window)")
    }

    @Test("the sliding window equals the same band as a boolean mask, outputs and gradients")
    func slidingWindowEqualsBandMask() throws {
        let (t, s, w) = (6, 8, 3)
        let band = try Tensor((0 ..< t * s).map { n -> Float in
            let (i, j) = (n / s, n % s), p = s - t + i
            return j <= p && p - j < w ? 1 : 0
        }, shape: [1, 1, t, s])
        func run(_ windowed: Bool) -> [[Float]] {
            let q = testTensor([2, 4, t, 4], seed: 231), k = testTensor([2, 2, s, 4], seed: 232)
            let v = testTensor([2, 2, s, 4], seed: 233)
            for x in [q, k, v] { x.requiresGrad = true }
            let o = windowed ? Tensor.scaledDotProductAttention(query: q, key: k, value: v, slidingWindow: w)
                : Tensor.scaledDotProductAttention(query: q, key: k, value: v, mask: .boolean(band))
            o.backward(testTensor(o.shape, seed: 234))
            return [o.scalars] + [q, k, v].map { $0.grad?.scalars ?? [] }
        }
        let (a, m) = (run(true), run(false))
        for (i, name) in ["out", "dq", "dk", "dv"].enumerated() {
            let r = compareClose(a[i], m[i], atol: 1e-6, rtol: 1e-5)
            #expect(r.passed, "\(name): \(r)")
        }
    }
}
