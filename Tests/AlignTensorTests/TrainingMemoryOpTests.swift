// The memory-saving training paths equal the computations they replace:
// - attention's backward that recomputes the probabilities (Kernels/AttentionRecomputeKernels.swift) against
//   the saved-probability kernels (AttentionKernels.backwardQuery/backwardKeyValue), with GQA, padding, a
//   sliding window and both layouts — to rounding, since the recomputing backward stacks a kv group's heads
//   into each product and so sums dK and dV over the group's rows in another order;
// - swigluLinear (Ops/SwiGLULinear.swift) against swiglu followed by matmul, for both weight layouts;
// - the tape no longer keeping operands a backward does not read (a residual add's inputs) or a graph
//   that backward has walked.
@testable import AlignTensor
import AlignTestSupport
import Testing

@Suite("training memory: recomputing ops equal the saving ones")
struct TrainingMemoryOpTests {
    /// dQ, dK, dV and the output from the saved-probability kernels (the pre-recompute backward).
    /// `mask` is [B, S] key padding, or with `boolean` a [B, 1, T, S] boolean mask.
    static func savedProbabilityGradients(q: Tensor, k: Tensor, v: Tensor, dout: Tensor, mask: Tensor?, boolean: Bool = false,
                                          window: Int?, layout: HeadLayout) throws -> [[Float]] {
        let g = try Tensor.checkAttention(query: q.shape, key: k.shape, value: v.shape,
                                          mask: mask.map { boolean ? .boolean($0) : .keyPadding($0) }, causal: true, layout: layout)
        let dims = AttentionDims(batch: g.batch, heads: g.heads, kvHeads: g.kvHeads, queryLength: g.queryLength,
                                 keyLength: g.keyLength, headDim: g.headDim, causal: true,
                                 scale: 1 / Float(g.headDim).squareRoot(), window: window)
        let qs = HeadStrides(heads: g.heads, seq: g.queryLength, dim: g.headDim, layout: layout)
        let kvs = HeadStrides(heads: g.kvHeads, seq: g.keyLength, dim: g.headDim, layout: layout)
        let out = Tensor(zeros: q.shape), probs = Tensor(zeros: [g.batch, g.heads, g.queryLength, g.keyLength])
        let dz = Tensor(zeros: probs.shape)
        let dq = Tensor(zeros: q.shape), dk = Tensor(zeros: k.shape), dv = Tensor(zeros: v.shape)
        let maskData = mask?.scalars ?? []
        maskData.withUnsafeBufferPointer { m in
            let (t, sk) = (g.queryLength, g.keyLength)
            let view = mask == nil ? MaskView.none
                : boolean ? MaskView(kind: .boolean, data: m.baseAddress, batchStride: t * sk, headStride: 0, rowStride: sk)
                : MaskView(kind: .keyPadding, data: m.baseAddress, batchStride: sk, headStride: 0, rowStride: 0)
            q.withUnsafeBuffer { pq in k.withUnsafeBuffer { pk in v.withUnsafeBuffer { pv in dout.withUnsafeBuffer { pg in
                out.withUnsafeMutableBuffer { po in probs.withUnsafeMutableBuffer { pp in dz.withUnsafeMutableBuffer { pz in
                    dq.withUnsafeMutableBuffer { a in dk.withUnsafeMutableBuffer { b in dv.withUnsafeMutableBuffer { c in
                        AttentionKernels.forward(out: po.baseAddress!, probs: pp.baseAddress!, q: pq.baseAddress!,
                                                 k: pk.baseAddress!, v: pv.baseAddress!, dims: dims, qs: qs, kvs: kvs, mask: view)
                        AttentionKernels.backwardQuery(dq: a.baseAddress!, dz: pz.baseAddress!, dout: pg.baseAddress!,
                                                       probs: pp.baseAddress!, k: pk.baseAddress!, v: pv.baseAddress!,
                                                       dims: dims, qs: qs, kvs: kvs)
                        AttentionKernels.backwardKeyValue(dk: b.baseAddress!, dv: c.baseAddress!, dz: pz.baseAddress!,
                                                          probs: pp.baseAddress!, dout: pg.baseAddress!, q: pq.baseAddress!,
                                                          dims: dims, qs: qs, kvs: kvs)
                    } } }
                } } }
            } } } }
        }
        return [dq.scalars, dk.scalars, dv.scalars, out.scalars]
    }

    @Test("attention's recomputing backward equals the saved-probability backward",
          arguments: [(HeadLayout.bthd, false, nil as Int?), (.bhtd, true, nil), (.bthd, true, 3)])
    func attentionRecompute(layout: HeadLayout, padded: Bool, window: Int?) throws {
        // B 2, H 4, Hkv 2, T 70 (two causal row blocks of 64 and a partial one), D 8.
        let (b, h, hkv, t, d) = (2, 4, 2, 70, 8)
        let qShape = layout == .bthd ? [b, t, h, d] : [b, h, t, d], kShape = layout == .bthd ? [b, t, hkv, d] : [b, hkv, t, d]
        let q = testTensor(qShape, seed: 1), k = testTensor(kShape, seed: 2), v = testTensor(kShape, seed: 3)
        let dout = testTensor(qShape, seed: 4)
        let mask: Tensor? = padded ? try Tensor((0 ..< b * t).map { $0 == 0 || $0 == t + 1 || $0 >= 2 * t - 5 ? 0 : 1 }, shape: [b, t])
            : nil
        let expected = try Self.savedProbabilityGradients(q: q, k: k, v: v, dout: dout, mask: mask, window: window, layout: layout)
        for x in [q, k, v] { x.requiresGrad = true }
        let out = Tensor.scaledDotProductAttention(query: q, key: k, value: v, mask: mask.map { .keyPadding($0) },
                                                   layout: layout, slidingWindow: window)
        out.backward(dout)
        for (i, (name, x)) in [("dQ", q), ("dK", k), ("dV", v)].enumerated() {
            let got = try #require(x.grad).scalars
            let scale = Double(expected[i].map(abs).max() ?? 0)
            #expect(scale > 0, "\(name) is not all zero")
            let r = compareClose(got, expected[i].map(Double.init), atol: 1e-6 * scale, rtol: 1e-5)
            #expect(r.passed, "\(name): \(r)")
        }
    }

    @Test("attention skipping key spans hidden from a whole row block equals the saved-probability kernels")
    func attentionKeyRuns() throws {
        // Two packed pairs [prompt | chosen | rejected] of T 72 = prompts 24 and 8, chosen to row 63, rejected
        // rows 64..<72: the second 64-row block sees the prompt and the rejected rows, not the chosen keys, so
        // its products run over two key runs (AttentionKeyRuns). B 2, H 4, Hkv 2, D 8.
        let t = 72
        var maskValues: [Float] = []
        for prompt in [24, 8] {
            for i in 0 ..< t {
                for j in 0 ..< t {
                    let sameSpan = (i < 64) == (j < 64)  // chosen (and prompt) rows vs rejected rows
                    maskValues.append(j <= i && (j < prompt || sameSpan) ? 1 : 0)
                }
            }
        }
        let plan = Self.keyRuns(maskValues, kind: .boolean, t: t)
        #expect(Array(plan.runs(b: 0, block: 0)) == [0 ..< 64] && Array(plan.runs(b: 0, block: 1)) == [0 ..< 24, 64 ..< 72])
        #expect(Array(plan.runs(b: 1, block: 1)) == [0 ..< 8, 64 ..< 72])
        try Self.expectSavedProbabilityResults(mask: try Tensor(maskValues, shape: [2, 1, t, t]), boolean: true, t: t)
    }

    @Test("attention skipping left-padded keys equals the saved-probability kernels")
    func attentionKeyRunsPadding() throws {
        // Row 1 is left-padded by 16 keys: its first block, the first a thread runs, sees keys 16..<64 only, so
        // the hidden columns of the backward's scratch start unset (NaN under ALIGNKIT_POISON_UNINITIALIZED).
        let t = 72
        let maskValues: [Float] = (0 ..< 2 * t).map { $0 >= t && $0 < t + 16 ? 0 : 1 }
        let plan = Self.keyRuns(maskValues, kind: .keyPadding, t: t)
        #expect(Array(plan.runs(b: 0, block: 0)) == [0 ..< 64] && Array(plan.runs(b: 1, block: 0)) == [16 ..< 64])
        #expect(Array(plan.runs(b: 1, block: 1)) == [16 ..< 72])
        try Self.expectSavedProbabilityResults(mask: try Tensor(maskValues, shape: [2, t]), boolean: false, t: t)
    }

    static func keyRuns(_ mask: [Float], kind: MaskView.Kind, t: Int) -> AttentionKeyRuns {
        mask.withUnsafeBufferPointer { m in
            AttentionKeyRuns(dims: AttentionDims(batch: 2, heads: 4, kvHeads: 2, queryLength: t, keyLength: t, headDim: 8,
                                                 causal: true, scale: 1),
                             mask: kind == .boolean
                                ? MaskView(kind: .boolean, data: m.baseAddress, batchStride: t * t, headStride: 0, rowStride: t)
                                : MaskView(kind: .keyPadding, data: m.baseAddress, batchStride: t, headStride: 0, rowStride: 0))
        }
    }

    /// The grouped forward and recomputing backward (with key runs) against the saved-probability kernels,
    /// to rounding: B 2, H 4, Hkv 2, D 8.
    static func expectSavedProbabilityResults(mask: Tensor, boolean: Bool, t: Int) throws {
        let (b, h, hkv, d) = (2, 4, 2, 8)
        let q = testTensor([b, t, h, d], seed: 5), k = testTensor([b, t, hkv, d], seed: 6), v = testTensor([b, t, hkv, d], seed: 7)
        let dout = testTensor([b, t, h, d], seed: 8)
        let expected = try Self.savedProbabilityGradients(q: q, k: k, v: v, dout: dout, mask: mask, boolean: boolean,
                                                          window: nil, layout: .bthd)
        for x in [q, k, v] { x.requiresGrad = true }
        let out = Tensor.scaledDotProductAttention(query: q, key: k, value: v,
                                                   mask: boolean ? .boolean(mask) : .keyPadding(mask), layout: .bthd)
        out.backward(dout)
        for (i, (name, got)) in [("dQ", q.grad?.scalars), ("dK", k.grad?.scalars), ("dV", v.grad?.scalars),
                                 ("output", out.scalars)].enumerated() {
            let got = try #require(got)
            let scale = Double(expected[i].map(abs).max() ?? 0)
            let r = compareClose(got, expected[i].map(Double.init), atol: 1e-6 * scale, rtol: 1e-5)
            #expect(scale > 0 && r.passed, "\(name): \(r)")
        }
    }

    @Test("swigluLinear equals swiglu then matmul, values and gradients", arguments: [true, false])
    func swigluLinear(transposeB: Bool) throws {
        let gate = testTensor([2, 5, 12], seed: 5, scale: 2), up = testTensor([2, 5, 12], seed: 6)
        let w = testTensor(transposeB ? [7, 12] : [12, 7], seed: 7), dy = testTensor([2, 5, 7], seed: 8)
        func run(_ fused: Bool) -> [[Float]] {
            let (g, u, wt) = (gate.detached(), up.detached(), w.detached())
            for x in [g, u, wt] { x.requiresGrad = true }
            let y = fused ? Tensor.swigluLinear(gate: g, up: u, weight: wt, transposeB: transposeB)
                : Tensor.matmul(Tensor.swiglu(gate: g, up: u), wt, transposeB: transposeB)
            y.backward(dy)
            return [y.scalars, g.grad?.scalars ?? [], u.grad?.scalars ?? [], wt.grad?.scalars ?? []]
        }
        let (fused, plain) = (run(true), run(false))
        for (i, name) in ["y", "dgate", "dup", "dW"].enumerated() {
            #expect(!fused[i].isEmpty && fused[i] == plain[i], "\(name)")
        }
    }

    @Test("a residual add keeps neither operand alive; backward releases the graph as it goes")
    func tapeReleasesStorage() {
        let w = testTensor([4, 4], seed: 9)
        w.requiresGrad = true
        weak var weakProduct: TensorStorage?
        let loss: Tensor = {
            let product = Tensor.matmul(testTensor([3, 4], seed: 10), w)  // [3, 4], only an input of the add
            weakProduct = product.storage
            return (product + testTensor([3, 4], seed: 11)).sum()
        }()
        #expect(weakProduct == nil, "the add's backward does not read its operands, so nothing keeps them")
        weak var weakInput: TensorStorage?
        let loss2: Tensor = {
            let x = testTensor([3, 4], seed: 12)
            weakInput = x.storage
            return Tensor.matmul(x, w).sum()
        }()
        #expect(weakInput != nil, "a matmul's backward reads its input, so the tape keeps it")
        loss2.backward()
        #expect(weakInput == nil, "released once backward has run")
        loss.backward()
        #expect(w.grad != nil)
    }
}
