// Parallel: the one thread-count knob, shared by BLAS and AlignTensor's own kernels.
import Dispatch

/// Thread settings for BLAS and AlignTensor kernels. Defaults to the machine's core count.
public enum Parallel {
    nonisolated(unsafe) private static var _threads = ProcessInfoCores.count

    /// Threads used by large products (split by BLAS.sgemm over the worker pool; OpenBLAS itself stays at
    /// one thread, Accelerate picks its own) and by large elementwise kernels.
    public static var threads: Int {
        get { _threads }
        set {
            _threads = max(1, newValue)
        }
    }

    /// Below this many elements a kernel runs on one thread: dispatch costs ~µs.
    public static let grain = 1 << 15

    /// Runs `body` over `0..<count` split into at most `threads` contiguous ranges when the
    /// work (`count × costPerItem`) is large enough to pay for the dispatch.
    @inlinable
    public static func forRanges(_ count: Int, costPerItem: Int = 1, _ body: (Range<Int>) -> Void) {
        let t = threads
        if t <= 1 || count * costPerItem < grain || count < 2 {
            body(0 ..< count)
            return
        }
        let chunks = min(t, count)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let lo = count * c / chunks, hi = count * (c + 1) / chunks
            if lo < hi { body(lo ..< hi) }
        }
    }
}

/// The number of online cores, read once.
enum ProcessInfoCores {
    static let count: Int = {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return max(1, Int(sysconf(_SC_NPROCESSORS_ONLN)))
        #endif
    }()
}
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
