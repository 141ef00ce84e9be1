// Profile: an opt-in wall-clock accumulator for finding where a training step spends its time, switched on
// by the environment variable ALIGNKIT_PROFILE (read once). Off, every hook costs one branch on a constant.
// On, it sums seconds (and, for sgemm, FLOPs) per label:
//   - "fwd <op>": the time since the previous recorded op, charged to the op being recorded — on the tape
//     an op computes its output and then records it, so the gap is that op's forward plus any glue before it;
//   - "bwd <op>": each tape node's backward closure, "bwd accumulate" the summing of gradients that meet;
//   - "sgemm MxNxK tA tB": every BLAS product by shape (inside the op that called it), with its GFLOP/s;
//   - whatever callers measure with `Profile.measure` (the trainer's clip, optimizer and zero-grad phases);
//   - "pool miss N MiB": counts of large allocations the storage pool could not serve (fresh, faulting pages).
// Not for tests or results: it only points at the costs worth reading the code for.
import Foundation

/// Opt-in per-label time accumulation (ALIGNKIT_PROFILE=1).
public enum Profile {
    /// Whether ALIGNKIT_PROFILE is set in the environment.
    public static let isEnabled: Bool = ProcessInfo.processInfo.environment["ALIGNKIT_PROFILE"] != nil

    struct Entry {
        var seconds = 0.0, calls = 0, flops = 0.0
    }

    nonisolated(unsafe) static var entries: [String: Entry] = [:]
    nonisolated(unsafe) static var lastMark = 0.0
    /// True while a backward pass runs (recorded-op marks are then ignored: the backward times its nodes).
    nonisolated(unsafe) static var inBackward = false
    static let lock = NSLock()

    /// Monotonic seconds.
    @inlinable
    public static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }

    /// Adds `seconds` (and `flops`) to `label`.
    public static func add(_ label: String, seconds: Double, flops: Double = 0) {
        lock.lock()
        entries[label, default: Entry()].seconds += seconds
        entries[label, default: Entry()].calls += 1
        entries[label, default: Entry()].flops += flops
        lock.unlock()
    }

    /// Runs `body`, charging its time to `label` when profiling.
    @inlinable
    public static func measure<R>(_ label: @autoclosure () -> String, _ body: () throws -> R) rethrows -> R {
        guard isEnabled else { return try body() }
        let t0 = now()
        defer { add(label(), seconds: now() - t0) }
        return try body()
    }

    /// Restarts the forward clock (call before a forward pass, so the first op is not charged the idle time).
    public static func resetMark() {
        guard isEnabled else { return }
        lastMark = now()
    }

    /// Charges the time since the last mark to "fwd `op`" (called by `Tensor.record`).
    static func markForward(_ op: String) {
        guard !inBackward else { return }
        let t = now()
        add("fwd " + op, seconds: t - lastMark)
        lastMark = t
    }

    /// Times one sgemm: called by `BLAS.sgemm` when profiling.
    @usableFromInline
    static func sgemm(m: Int, n: Int, k: Int, transA: Bool, transB: Bool, seconds: Double) {
        add("sgemm \(m)x\(n)x\(k) \(transA ? "T" : "N")\(transB ? "T" : "N")", seconds: seconds, flops: 2 * Double(m * n * k))
    }

    /// The table so far, largest total first, and clears it.
    public static func report() -> String {
        lock.lock()
        defer { entries = [:]; lock.unlock() }
        let rows = entries.sorted { $0.value.seconds > $1.value.seconds }
        var out = String(format: "%-44@ %10@ %8@ %9@\n", "label" as NSString, "seconds" as NSString, "calls" as NSString,
                         "GFLOP/s" as NSString)
        for (label, e) in rows where e.seconds >= 0.001 || e.seconds == 0 {  // zero seconds: a counter (pool misses)
            let rate = e.flops > 0 ? String(format: "%9.1f", e.flops / e.seconds / 1e9) : ""
            out += String(format: "%-44@ %10.3f %8d %@\n", label as NSString, e.seconds, e.calls, rate as NSString)
        }
        return out
    }
}
