// Scaled-dot-product attention: hand-computed values, the transformers fixture
// (scripts/fixtures/kernels_k1.py → Tests/Fixtures/kernels-k1/attention.json: GQA, left/right
// padding, KV offset, 4-D boolean and additive masks, custom scale, [B, T, H, D] layout),
// finite-difference gradients for q, k and v, invariants, the threaded path and shape errors.
import Foundation
import Testing
import AlignTensor
import AlignTestSupport

@Suite("scaled-dot-product attention")
struct AttentionTests {
    typealias SDPA = Tensor

    @Test("equal scores average the visible values; a fully masked row is zero")
    func hand() throws {
        // B=1, H=1, T=2, D=1, q = 0: every score is 0, so row i averages values 0...i.
        let q = Tensor(zeros: [1, 1, 2, 1]), k = try Tensor([1, 2], shape: [1, 1, 2, 1])
        let v = try Tensor([2, 4], shape: [1, 1, 2, 1])
        #expect(Tensor.scaledDotProductAttention(query: q, key: k, value: v).scalars == [2, 3])
        // Padding out key 0 leaves row 0 with nothing to see (zeros) and row 1 with value 1 only.
        let pad = try Tensor([0, 1], shape: [1, 2])
        #expect(Tensor.scaledDotProductAttention(query: q, key: k, value: v, mask: .keyPadding(pad)).scalars == [0, 4])
    }

    @Test("softmax weights follow the scaled scores")
    func handScores() throws {
        // One query [1, 0] against keys [ln 3·2, 0] and [0, 0] with D=2 (scale 1/√2) would be messy;
        // use scale 1 and keys [ln 3, 0], [0, 0]: weights 3/4 and 1/4 → output 3/4·v0 + 1/4·v1.
        let q = try Tensor([1, 0], shape: [1, 1, 1, 2])
        let k = try Tensor([Float(Foundation.log(3.0)), 0, 0, 0], shape: [1, 1, 2, 2])
        let v = try Tensor([4, 0, 0, 8], shape: [1, 1, 2, 2])
        let o = Tensor.scaledDotProductAttention(query: q, key: k, value: v, causal: false, scale: 1)
        #expect(compareClose(o, [3, 2]).passed)
    }

    @Test("attention matches transformers", arguments: try K1Fixture.cases("attention.json"))
    func fixture(_ c: K1Case) throws {
        try K1Fixture.check(c, wrt: ["q", "k", "v"]) { t in
            let mask: AttentionMask? = try t["mask"].map { m in
                switch c.params.mask {
                case "key_padding": return .keyPadding(m)
                case "boolean": return .boolean(m)
                case "additive": return .additive(m)
                default: throw K1FixtureError.missing(case: c.name, key: "mask kind")
                }
            }
            return Tensor.scaledDotProductAttention(
                query: try #require(t["q"]), key: try #require(t["k"]), value: try #require(t["v"]), mask: mask,
                causal: c.params.causal ?? true, scale: c.params.scale.map(Float.init), layout: c.layout)
        }
    }

    @Test("the fixture holds all 11 attention cases")
    func fixtureCount() throws {
        #expect(try K1Fixture.cases("attention.json", op: "attention").count == 11)
    }

    /// q, k, v for a [B, H, T, D] / [B, Hkv, S, D] problem (seeded).
    static func qkv(_ b: Int, _ h: Int, _ hkv: Int, _ t: Int, _ s: Int, _ d: Int, seed: UInt64) -> [Tensor] {
        [testTensor([b, h, t, d], seed: seed), testTensor([b, hkv, s, d], seed: seed + 1),
         testTensor([b, hkv, s, d], seed: seed + 2)]
    }

    @Test("gradients match finite differences: causal, GQA, odd shapes, custom scale")
    func gradients() {
        expectGradients(gradCheck(Self.qkv(2, 2, 2, 3, 3, 4, seed: 40)) {
            Tensor.scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2])
        }, "causal B2 H2 T3 D4")
        expectGradients(gradCheck(Self.qkv(2, 4, 2, 3, 3, 4, seed: 43)) {
            Tensor.scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2])
        }, "GQA H4 Hkv2")
        expectGradients(gradCheck(Self.qkv(1, 3, 1, 5, 5, 3, seed: 46)) {
            Tensor.scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2])
        }, "MQA H3 Hkv1 T5 D3")
        expectGradients(gradCheck(Self.qkv(1, 2, 1, 2, 3, 5, seed: 49)) {
            Tensor.scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2], causal: false, scale: 0.7)
        }, "non-causal scale 0.7")
    }

    @Test("gradients match finite differences with left/right padding and a KV offset")
    func maskedGradients() throws {
        let left = try Tensor([0, 0, 1, 1, 1, 1, 1, 1], shape: [2, 4])
        let right = try Tensor([1, 1, 1, 0, 1, 1, 0, 0], shape: [2, 4])
        for (name, m) in [("left padding", left), ("right padding", right)] {
            expectGradients(gradCheck(Self.qkv(2, 2, 1, 4, 4, 3, seed: 52)) {
                Tensor.scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2], mask: .keyPadding(m))
            }, name)
        }
        let pad5 = try Tensor([0, 1, 1, 1, 1, 1, 1, 1, 1, 1], shape: [2, 5])
        expectGradients(gradCheck(Self.qkv(2, 4, 2, 2, 5, 4, seed: 55)) {
            Tensor.scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2], mask: .keyPadding(pad5))
        }, "KV offset T2 S5 GQA left padding")
        let qkv = Self.qkv(2, 4, 2, 3, 4, 4, seed: 58).map { $0.permuted([0, 2, 1, 3]).copy() }  // to [B, T, H, D]
        expectGradients(gradCheck(qkv) {
            Tensor.scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2], mask: .keyPadding(left), layout: .bthd)
        }, "bthd GQA left padding")
    }

    @Test("gradients match finite differences with 4-D boolean and additive masks")
    func fourDMaskGradients() throws {
        let boolean = try Tensor((0 ..< 24).map { $0 % 5 == 3 ? 0 : 1 }, shape: [1, 2, 3, 4])
        expectGradients(gradCheck(Self.qkv(2, 2, 1, 3, 4, 3, seed: 61)) {
            Tensor.scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2], mask: .boolean(boolean))
        }, "boolean [1, H, T, S]")
        var bias = testValues(24, seed: 62)
        bias[5] = -.infinity
        let additive = try Tensor(bias, shape: [2, 1, 3, 4])
        expectGradients(gradCheck(Self.qkv(2, 2, 2, 3, 4, 3, seed: 63)) {
            Tensor.scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2], mask: .additive(additive), causal: false)
        }, "additive [B, 1, T, S]")
    }

    @Test("the real rows of a left-padded sequence equal the unpadded run")
    func leftPaddingInvariant() throws {
        // Sequence 0 of the batch is [pad, pad, a, b, c]; run [a, b, c] alone and compare.
        let (q, k, v) = (testTensor([1, 2, 5, 4], seed: 70), testTensor([1, 1, 5, 4], seed: 71), testTensor([1, 1, 5, 4], seed: 72))
        let padded = Tensor.scaledDotProductAttention(query: q, key: k, value: v,
                                                      mask: .keyPadding(try Tensor([0, 0, 1, 1, 1], shape: [1, 5])))
        func tail(_ t: Tensor) -> Tensor { t.reshaped([t.shape[1], 5, 4]).permuted([1, 0, 2]).rows(2 ..< 5).permuted([1, 0, 2]).reshaped([1, t.shape[1], 3, 4]) }
        let alone = Tensor.scaledDotProductAttention(query: tail(q), key: tail(k), value: tail(v))
        #expect(compareClose(tail(padded).scalars, alone.scalars, atol: 1e-6, rtol: 1e-6).passed)
        // and the padded query rows are exactly zero
        #expect(padded.reshaped([2, 5, 4]).permuted([1, 0, 2]).rows(0 ..< 2).scalars.allSatisfy { $0 == 0 })
    }

    @Test("KV-cache decoding: the last queries against all keys equal the last rows of full attention")
    func kvOffsetInvariant() {
        let (q, k, v) = (testTensor([2, 4, 6, 3], seed: 73), testTensor([2, 2, 6, 3], seed: 74), testTensor([2, 2, 6, 3], seed: 75))
        let full = Tensor.scaledDotProductAttention(query: q, key: k, value: v)
        let lastTwo = { (t: Tensor) in t.reshaped([8, 6, 3]).permuted([1, 0, 2]).rows(4 ..< 6).permuted([1, 0, 2]).reshaped([2, 4, 2, 3]) }
        let decoded = Tensor.scaledDotProductAttention(query: lastTwo(q), key: k, value: v)
        #expect(compareClose(decoded.scalars, lastTwo(full).scalars, atol: 1e-6, rtol: 1e-6).passed)
    }

    @Test("multi-threaded, multi-block causal attention agrees with a Float64 reference (forward and directional derivatives)")
    func threaded() throws {
        // T = 80 > 64 query rows: two causal blocks; S = 85 puts the queries at offset 5.
        // 2·80·85·4 flops per (b, h) pair: above Parallel.grain, so pairs split across threads.
        let (b, h, hkv, t, s, d) = (2, 4, 2, 80, 85, 4)
        let qkv = Self.qkv(b, h, hkv, t, s, d, seed: 80)
        let shape = NaiveShape(b: b, h: h, hkv: hkv, t: t, s: s, d: d)
        let out = Tensor.scaledDotProductAttention(query: qkv[0], key: qkv[1], value: qkv[2])
        let base = qkv.map { $0.scalars.map(Double.init) }
        #expect(compareClose(out.scalars, naiveAttention(base, shape), atol: 1e-5, rtol: 1e-5).passed)
        // ⟨dL/dx, e⟩ for L = Σ out ⊙ dout against a central difference along a random direction e.
        let dout = testTensor(out.shape, seed: 84)
        for x in qkv { x.requiresGrad = true }
        Tensor.scaledDotProductAttention(query: qkv[0], key: qkv[1], value: qkv[2]).backward(dout)
        for (which, name) in ["q", "k", "v"].enumerated() {
            let dir = testTensor(qkv[which].shape, seed: 85 + UInt64(which))
            let analytic = zip(try #require(qkv[which].grad).scalars, dir.scalars).reduce(0.0) { $0 + Double($1.0 * $1.1) }
            func loss(_ step: Double) -> Double {
                var moved = base
                for i in moved[which].indices { moved[which][i] += step * Double(dir.scalars[i]) }
                return zip(naiveAttention(moved, shape), dout.scalars).reduce(0) { $0 + $1.0 * Double($1.1) }
            }
            let numeric = (loss(1e-4) - loss(-1e-4)) / 2e-4
            #expect(Swift.abs(analytic - numeric) <= 1e-4 * Swift.max(1, Swift.abs(numeric)),
                    "d\(name): analytic \(analytic) numeric \(numeric)")
        }
    }

    @Test("inference (per-thread scratch) and recorded forwards give identical outputs")
    func inferenceMatchesRecorded() throws {
        let qkv = Self.qkv(2, 4, 2, 70, 75, 4, seed: 95)  // T = 70: two causal blocks; pairs run in parallel
        let pad = try Tensor((0 ..< 150).map { $0 < 3 ? 0 : 1 }, shape: [2, 75])
        let plain = Tensor.scaledDotProductAttention(query: qkv[0], key: qkv[1], value: qkv[2], mask: .keyPadding(pad))
        qkv[0].requiresGrad = true
        let recorded = Tensor.scaledDotProductAttention(query: qkv[0], key: qkv[1], value: qkv[2], mask: .keyPadding(pad))
        #expect(plain.scalars == recorded.scalars)
    }

    @Test("large scores stay finite and match the Float64 reference (max subtraction)")
    func largeScores() {
        // Scores of order ±200: exp without the row max would overflow Float32.
        let shape = NaiveShape(b: 1, h: 2, hkv: 1, t: 4, s: 4, d: 4)
        let qkv = [testTensor([1, 2, 4, 4], seed: 90, scale: 20), testTensor([1, 1, 4, 4], seed: 91, scale: 20),
                   testTensor([1, 1, 4, 4], seed: 92)]
        let out = Tensor.scaledDotProductAttention(query: qkv[0], key: qkv[1], value: qkv[2])
        #expect(out.scalars.allSatisfy { $0.isFinite })
        let ref = naiveAttention(qkv.map { $0.scalars.map(Double.init) }, shape)
        #expect(compareClose(out.scalars, ref, atol: 1e-5, rtol: 1e-5).passed)
    }

    @Test("empty query or key lengths give empty or zero results and zero gradients")
    func emptyLengths() {
        let q = Tensor(zeros: [1, 2, 0, 4]), k = testTensor([1, 1, 3, 4], seed: 93)
        k.requiresGrad = true
        let o = Tensor.scaledDotProductAttention(query: q, key: k, value: k)
        #expect(o.shape == [1, 2, 0, 4])
        o.backward(Tensor(zeros: o.shape))
        #expect(k.grad?.scalars.allSatisfy { $0 == 0 } == true)
        // No keys at all (non-causal): every row is fully masked → zeros, and zero gradients.
        let q2 = testTensor([1, 2, 2, 4], seed: 94), none = Tensor(zeros: [1, 1, 0, 4])
        q2.requiresGrad = true
        let o2 = Tensor.scaledDotProductAttention(query: q2, key: none, value: none, causal: false)
        #expect(o2.scalars == [Float](repeating: 0, count: 16))
        o2.backward(Tensor(repeating: 1, shape: o2.shape))
        #expect(q2.grad?.scalars == [Float](repeating: 0, count: 16))
    }

    @Test("attention shape errors name the shapes")
    func shapeErrors() throws {
        #expect(throws: TensorError.self) {  // Hkv does not divide H
            try Tensor.checkAttention(query: [1, 3, 2, 4], key: [1, 2, 2, 4], value: [1, 2, 2, 4], mask: nil, causal: true, layout: .bhtd)
        }
        #expect(throws: TensorError.self) {  // causal with fewer keys than queries
            try Tensor.checkAttention(query: [1, 2, 4, 4], key: [1, 2, 3, 4], value: [1, 2, 3, 4], mask: nil, causal: true, layout: .bhtd)
        }
        #expect(throws: TensorError.self) {  // key and value differ
            try Tensor.checkAttention(query: [1, 2, 3, 4], key: [1, 2, 3, 4], value: [1, 2, 3, 5], mask: nil, causal: true, layout: .bhtd)
        }
        #expect(throws: TensorError.self) {  // key-padding mask of the wrong length
            try Tensor.checkAttention(query: [2, 2, 3, 4], key: [2, 2, 3, 4], value: [2, 2, 3, 4],
                                      mask: .keyPadding(Tensor(zeros: [2, 4])), causal: true, layout: .bhtd)
        }
        #expect(throws: TensorError.self) {  // 4-D mask with a head count that neither matches nor broadcasts
            try Tensor.checkAttention(query: [2, 4, 3, 4], key: [2, 2, 3, 4], value: [2, 2, 3, 4],
                                      mask: .boolean(Tensor(zeros: [2, 2, 3, 3])), causal: true, layout: .bhtd)
        }
        let g = try Tensor.checkAttention(query: [2, 5, 6, 4], key: [2, 7, 2, 4], value: [2, 7, 2, 4],
                                          mask: .additive(Tensor(zeros: [1, 1, 5, 7])), causal: true, layout: .bthd)
        #expect([g.batch, g.heads, g.kvHeads, g.queryLength, g.keyLength, g.headDim] as [Int] == [2, 6, 2, 5, 7, 4])
    }
}

/// Sizes for `naiveAttention`: [B, H, T, D] queries, [B, Hkv, S, D] keys and values.
struct NaiveShape { let b: Int, h: Int, hkv: Int, t: Int, s: Int, d: Int }

/// Causal GQA attention in Float64 straight from the definition: query i (at position S − T + i)
/// attends keys 0 ... S − T + i.
func naiveAttention(_ qkv: [[Double]], _ n: NaiveShape) -> [Double] {
    let (q, k, v) = (qkv[0], qkv[1], qkv[2])
    var out = [Double](repeating: 0, count: n.b * n.h * n.t * n.d)
    let scale = 1 / Double(n.d).squareRoot()
    for bi in 0 ..< n.b { for hi in 0 ..< n.h {
        let kvBase = (bi * n.hkv + hi / (n.h / n.hkv)) * n.s * n.d
        for i in 0 ..< n.t {
            let qo = ((bi * n.h + hi) * n.t + i) * n.d
            let visible = 0 ... (n.s - n.t + i)
            let scores = visible.map { j in (0 ..< n.d).reduce(0.0) { $0 + q[qo + $1] * k[kvBase + j * n.d + $1] } * scale }
            let m = scores.max() ?? 0
            let e = scores.map { Foundation.exp($0 - m) }, z = e.reduce(0, +)
            for j in visible { for c in 0 ..< n.d { out[qo + c] += e[j] / z * v[kvBase + j * n.d + c] } }
        }
    } }
    return out
}
