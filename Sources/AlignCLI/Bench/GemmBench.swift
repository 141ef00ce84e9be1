// GemmBench: AlignKit's matmul beside a direct cblas_sgemm call on the same operands.
// Cases: square 512/1024/2048 and the projection shapes of a 135M-parameter Llama-shaped model
// (SmolLM-135M: C = 576, MLP 1536, KV 192, V = 49152) at batch 8 × 256 = 2048 tokens, forward
// and the transposed backward products.
import AlignTensor
import ArgumentParser
import Foundation
#if canImport(Accelerate)
import Accelerate
#else
import CBLAS
#endif

/// One sgemm shape: C[M×N] = op(A) · op(B) with inner dimension K.
public struct GemmCase: Sendable {
    public let name: String
    public let m: Int, n: Int, k: Int
    public let transA: Bool, transB: Bool

    public var flops: Double { 2 * Double(m) * Double(n) * Double(k) }

    public static let standard: [GemmCase] = [
        GemmCase(name: "square 512", m: 512, n: 512, k: 512, transA: false, transB: false),
        GemmCase(name: "square 1024", m: 1024, n: 1024, k: 1024, transA: false, transB: false),
        GemmCase(name: "square 2048", m: 2048, n: 2048, k: 2048, transA: false, transB: false),
        GemmCase(name: "135M q/o proj x·Wᵀ 2048×576×576", m: 2048, n: 576, k: 576, transA: false, transB: true),
        GemmCase(name: "135M k/v proj x·Wᵀ 2048×192×576", m: 2048, n: 192, k: 576, transA: false, transB: true),
        GemmCase(name: "135M mlp up x·Wᵀ 2048×1536×576", m: 2048, n: 1536, k: 576, transA: false, transB: true),
        GemmCase(name: "135M mlp down x·Wᵀ 2048×576×1536", m: 2048, n: 576, k: 1536, transA: false, transB: true),
        GemmCase(name: "135M mlp up dX = G·W 2048×576×1536", m: 2048, n: 576, k: 1536, transA: false, transB: false),
        GemmCase(name: "135M mlp up dW = Gᵀ·X 1536×576×2048", m: 1536, n: 576, k: 2048, transA: true, transB: false),
        GemmCase(name: "135M lm head x·Eᵀ 2048×49152×576", m: 2048, n: 49152, k: 576, transA: false, transB: true),
    ]
}

extension GemmCase {
    /// Parses `MxNxK` with an optional `:NN`, `:TN`, `:NT` or `:TT` suffix (op(A), op(B) transposed or not).
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        // Every field must be a number: "12x3ax4x5" is an error, not 12×4×5.
        let dims = parts[0].split(separator: "x", omittingEmptySubsequences: false).map { Int($0) ?? 0 }
        let flags = parts.count > 1 ? Array(parts[1].uppercased()) : ["N", "N"]
        guard parts.count <= 2, dims.count == 3, dims.allSatisfy({ $0 > 0 }), flags.count == 2,
              flags.allSatisfy({ $0 == "N" || $0 == "T" }) else {
            throw ValidationError("--shape \(text): expected MxNxK with positive sizes, optionally :NN, :TN, :NT or :TT")
        }
        let suffix = parts.count > 1 ? " \(String(flags))" : ""
        self.init(name: "\(dims[0])×\(dims[1])×\(dims[2])\(suffix)", m: dims[0], n: dims[1], k: dims[2],
                  transA: flags[0] == "T", transB: flags[1] == "T")
    }
}

/// Runs each case through `Tensor.matmul` and through `cblas_sgemm` directly.
public enum GemmBench {
    public static func run(_ cases: [GemmCase], minSeconds: Double) -> [BenchRecord] {
        cases.map { c in
            let a = Tensor(repeating: 0.5, shape: c.transA ? [c.k, c.m] : [c.m, c.k])
            let b = Tensor(repeating: 0.25, shape: c.transB ? [c.n, c.k] : [c.k, c.n])
            let out = Tensor(zeros: [c.m, c.n])
            // Each side as its own block, not interleaved: after a threaded OpenBLAS call its server threads spin
            // for ~0.1 s (Kernels/BLAS.swift) and would slow the next AlignKit product, which keeps OpenBLAS at
            // one thread and splits on its own pool. The pause lets them park before AlignKit's block.
            let tPeer = Stopwatch.median(minSeconds: minSeconds) {
                // The peer is OpenBLAS with its own threads, as a plain caller gets it.
                BLAS.withOpenBLASThreads(Parallel.threads) {
                    a.withUnsafeBuffer { pa in b.withUnsafeBuffer { pb in out.withUnsafeMutableBuffer { pc in
                        cblas_sgemm(CblasRowMajor, c.transA ? CblasTrans : CblasNoTrans, c.transB ? CblasTrans : CblasNoTrans,
                                    Int32(c.m), Int32(c.n), Int32(c.k), 1, pa.baseAddress, Int32(a.shape[1]),
                                    pb.baseAddress, Int32(b.shape[1]), 0, pc.baseAddress, Int32(c.n))
                    } } }
                }
            }
            Thread.sleep(forTimeInterval: 0.25)
            let tOurs = Stopwatch.median(minSeconds: minSeconds) {
                _ = Tensor.matmul(a, b, transposeA: c.transA, transposeB: c.transB)
            }
            let ours = c.flops / tOurs / 1e9, peer = c.flops / tPeer / 1e9
            return BenchRecord(bench: "gemm", case: c.name, unit: "GFLOP/s", alignkit: ours,
                               peer: "cblas_sgemm", peerValue: peer)
        }
    }
}
