// ReadBandwidth: the best read bandwidth the machine gives right now — the limit of batch-1 decoding,
// which reads every weight once per token and writes almost nothing. STREAM's copy and triad
// (MemoryBandwidth) mix reads and writes; this is a read-only sweep like STREAM's "sum" variants and
// the read tests of tinymembench: `Parallel.threads` threads each sum a contiguous share of a 512 MB
// array (far beyond the caches) with four 16-lane accumulators, so loads rather than adds bound it.
// On a shared machine the rate moves from second to second (this VM read 24–61 GB/s over a morning), so
// the probe keeps its buffer and is run right beside what it bounds; `measure` reports the best of a
// few sweeps: a kernel compared against it is compared against what the memory gave at its best.
import AlignTensor

/// A read-only bandwidth probe with its own buffer.
public final class ReadBandwidth {
    private let buffer: UnsafeMutableBufferPointer<Float>

    /// Allocates and touches `megabytes` × 2²⁰ bytes.
    public init(megabytes: Int = 512) {
        buffer = .allocate(capacity: max(1, megabytes) << 18)  // 2²⁰ / 4 floats per MB
        buffer.initialize(repeating: 1)
    }

    deinit { buffer.deallocate() }

    /// Bytes one sweep reads.
    public var bytes: Int { buffer.count * 4 }

    /// The best of `sweeps` sweeps, in GB/s (10⁹ bytes per second).
    public func measure(sweeps: Int = 3) -> Double {
        var best = 0.0
        for _ in 0 ..< max(1, sweeps) {
            let seconds = Stopwatch.time { _ = sweep() }
            best = max(best, Double(bytes) / seconds / 1e9)
        }
        return best
    }

    /// One sweep: the sum of every element (returned so the loads cannot be optimized away).
    @discardableResult
    public func sweep() -> Float {
        let chunks = Parallel.threads, n = buffer.count
        let partial = UnsafeMutableBufferPointer<Float>.allocate(capacity: chunks)
        defer { partial.deallocate() }
        partial.initialize(repeating: 0)
        guard let base = buffer.baseAddress else { return 0 }
        Parallel.forRanges(chunks, costPerItem: n / chunks) { r in
            for c in r { partial[c] = Self.sum(base + n * c / chunks, count: n * (c + 1) / chunks - n * c / chunks) }
        }
        return partial.reduce(0, +)
    }

    /// The best of `sweeps` read-only sweeps over `regions` (e.g. a model's weight tensors where they lie in
    /// memory), in GB/s: the threads split the regions' elements into equal contiguous shares, one job in all.
    public static func measure(regions: [UnsafeBufferPointer<Float>], sweeps: Int = 2) -> Double {
        let total = regions.reduce(0) { $0 + $1.count }
        var best = 0.0, sink: Float = 0
        for _ in 0 ..< max(1, sweeps) {
            let seconds = Stopwatch.time { sink += sweep(regions, total: total) }
            best = max(best, Double(total * 4) / seconds / 1e9)
        }
        precondition(!sink.isNaN, "read probe: NaN")  // keeps the sums alive
        return best
    }

    static func sweep(_ regions: [UnsafeBufferPointer<Float>], total: Int) -> Float {
        let chunks = Parallel.threads
        let partial = UnsafeMutableBufferPointer<Float>.allocate(capacity: chunks)
        defer { partial.deallocate() }
        partial.initialize(repeating: 0)
        Parallel.forRanges(chunks, costPerItem: total / chunks) { r in
            for c in r {
                // Elements lo..<hi of the regions laid end to end.
                let (lo, hi) = (total * c / chunks, total * (c + 1) / chunks)
                var start = 0, s: Float = 0
                for region in regions {
                    defer { start += region.count }
                    let a = max(lo, start), b = min(hi, start + region.count)
                    guard a < b, let base = region.baseAddress else { continue }
                    s += sum(base + (a - start), count: b - a)
                }
                partial[c] = s
            }
        }
        return partial.reduce(0, +)
    }

    static func sum(_ p: UnsafePointer<Float>, count n: Int) -> Float {
        typealias V = SIMD16<Float>
        func load(_ i: Int) -> V { UnsafeRawPointer(p + i).loadUnaligned(as: V.self) }
        var (a0, a1, a2, a3) = (V(), V(), V(), V())
        var i = 0
        while i + 64 <= n {
            a0 += load(i); a1 += load(i + 16); a2 += load(i + 32); a3 += load(i + 48)
            i += 64
        }
        var s = ((a0 + a1) + (a2 + a3)).sum()
        while i < n { s += p[i]; i += 1 }
        return s
    }
}
