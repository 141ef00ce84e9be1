import Testing
import AlignTensor
import AlignTestSupport

/// A plain triple loop: the readable reference the BLAS path is checked against.
func referenceMatmul(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int, transA: Bool, transB: Bool) -> [Double] {
    var c = [Double](repeating: 0, count: m * n)
    for i in 0 ..< m { for j in 0 ..< n { for p in 0 ..< k {
        let x = transA ? a[p * m + i] : a[i * k + p]
        let y = transB ? b[j * k + p] : b[p * n + j]
        c[i * n + j] += Double(x) * Double(y)
    } } }
    return c
}

@Suite("matmul through cblas_sgemm")
struct MatmulTests {
    @Test("2-D products match hand-computed values")
    func handComputed() throws {
        let a = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        let b = try Tensor([7, 8, 9, 10, 11, 12], shape: [3, 2])
        #expect(Tensor.matmul(a, b).scalars == [58, 64, 139, 154])
        #expect(Tensor.matmul(a, a, transposeB: true).scalars == [14, 32, 32, 77])
        #expect(Tensor.matmul(a, a, transposeA: true).shape == [3, 3])
    }

    @Test("every transpose combination matches the triple-loop reference", arguments: [
        (false, false), (true, false), (false, true), (true, true),
    ])
    func transposes(transA: Bool, transB: Bool) {
        let (m, n, k) = (5, 4, 7)
        let a = testTensor(transA ? [k, m] : [m, k], seed: 11)
        let b = testTensor(transB ? [n, k] : [k, n], seed: 12)
        let c = Tensor.matmul(a, b, transposeA: transA, transposeB: transB)
        let ref = referenceMatmul(a.scalars, b.scalars, m: m, n: n, k: k, transA: transA, transB: transB)
        let r = compareClose(c.scalars, ref, atol: 1e-5, rtol: 1e-5)
        #expect(r.passed, "\(r)")
    }

    @Test("gradients match finite differences for shared and batched operands", arguments: [
        (false, false), (true, false), (false, true), (true, true),
    ])
    func gradients(transA: Bool, transB: Bool) {
        let (bt, m, n, k) = (2, 3, 4, 5)
        let a = testTensor([bt] + (transA ? [k, m] : [m, k]), seed: 13)
        let shared = testTensor(transB ? [n, k] : [k, n], seed: 14)
        let batched = testTensor([bt] + (transB ? [n, k] : [k, n]), seed: 15)
        for b in [shared, batched] {
            for r in gradCheck([a, b], { x in Tensor.matmul(x[0], x[1], transposeA: transA, transposeB: transB) }) {
                #expect(r.passed, "transA \(transA) transB \(transB) b \(b.shape): \(r)")
            }
        }
    }

    @Test("shape errors name matmul and both shapes")
    func shapeErrors() throws {
        #expect(throws: TensorError.self) { try Tensor.checkMatmul([2, 3], [4, 5]) }
        #expect(throws: TensorError.self) { try Tensor.checkMatmul([2, 3, 4], [3, 4, 5]) }
        #expect(try Tensor.checkMatmul([2, 3, 4], [5, 4], transposeB: true) == [2, 3, 5])
        do {
            _ = try Tensor.checkMatmul([2, 3], [4, 5])
        } catch {
            #expect("\(error)".hasPrefix("matmul: shapes [2, 3] and [4, 5] do not fit"))
        }
    }
}
