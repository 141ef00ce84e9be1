// MemoryBandwidth: the machine's memory limit, measured in the same run as the benchmarks that
// are reported against it (STREAM's copy and triad kernels, on all threads).
import AlignTensor

/// Measured memory bandwidth in GB/s (10⁹ bytes per second).
public struct MemoryBandwidth: Sendable {
    public let copy: Double
    public let triad: Double
    /// A read-only sweep (sum of one array): the limit of kernels that mostly read, like log-softmax+gather.
    public let read: Double
    /// The better of the two: the practical limit a streaming kernel can reach.
    public var best: Double { max(copy, triad) }

    /// Runs copy (b = a) and triad (a = b + s·c) over arrays far larger than the caches.
    public static func measure(megabytesPerArray: Int = 256) -> MemoryBandwidth {
        let n = megabytesPerArray * (1 << 20) / 4
        let a = Tensor(repeating: 1, shape: [n]), b = Tensor(repeating: 2, shape: [n]), c = Tensor(repeating: 3, shape: [n])
        let tCopy = Stopwatch.median(minRuns: 5, minSeconds: 0.3) {
            a.withUnsafeBuffer { pa in b.withUnsafeMutableBuffer { pb in
                Parallel.forRanges(n) { r in for i in r { pb[i] = pa[i] } }
            } }
        }
        let tTriad = Stopwatch.median(minRuns: 5, minSeconds: 0.3) {
            b.withUnsafeBuffer { pb in c.withUnsafeBuffer { pc in a.withUnsafeMutableBuffer { pa in
                Parallel.forRanges(n) { r in for i in r { pa[i] = pb[i] + 0.5 * pc[i] } }
            } } }
        }
        var sink: Float = 0
        let tRead = Stopwatch.median(minRuns: 5, minSeconds: 0.3) {
            let partial = UnsafeMutableBufferPointer<Float>.allocate(capacity: Parallel.threads)
            defer { partial.deallocate() }
            partial.initialize(repeating: 0)
            b.withUnsafeBuffer { pb in
                let chunks = Parallel.threads
                Parallel.forRanges(chunks, costPerItem: n / chunks) { r in
                    for c in r {
                        var acc = SIMD8<Float>(repeating: 0)
                        let lo = n * c / chunks, hi = n * (c + 1) / chunks
                        var i = lo
                        while i + 8 <= hi {
                            acc += SIMD8<Float>(pb[i], pb[i + 1], pb[i + 2], pb[i + 3], pb[i + 4], pb[i + 5], pb[i + 6], pb[i + 7])
                            i += 8
                        }
                        partial[c] = acc.sum()
                    }
                }
            }
            sink += partial.reduce(0, +)
        }
        precondition(sink.isFinite, "read probe overflowed")  // keeps the sum from being optimized away
        // copy moves 2 arrays, triad 3 (reads b, c; writes a), as STREAM counts them; read moves 1.
        return MemoryBandwidth(copy: Double(2 * 4 * n) / tCopy / 1e9, triad: Double(3 * 4 * n) / tTriad / 1e9,
                               read: Double(4 * n) / tRead / 1e9)
    }
}
