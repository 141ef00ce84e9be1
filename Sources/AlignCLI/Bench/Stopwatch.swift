// Stopwatch: repeats a closure until enough time has passed and reports the median seconds per run.
import Dispatch

/// Benchmark timing: one warm-up run, then at least `minRuns` runs and `minSeconds` of work.
public enum Stopwatch {
    /// Median wall-clock seconds of `body` over the timed runs.
    public static func median(minRuns: Int = 3, minSeconds: Double = 0.5, _ body: () -> Void) -> Double {
        body()  // warm-up: page faults, BLAS thread start-up, caches
        var times: [Double] = []
        var total = 0.0
        while times.count < minRuns || total < minSeconds {
            let t0 = DispatchTime.now().uptimeNanoseconds
            body()
            let dt = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            times.append(dt)
            total += dt
            if times.count >= 1000 { break }
        }
        times.sort()
        return times[times.count / 2]
    }

    /// Wall-clock seconds of one run of `body`.
    public static func time(_ body: () -> Void) -> Double {
        let t0 = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    }
}

extension Stopwatch {
    /// Median seconds of `ours` and `peer`, timed alternately (ours, peer, ours, …) so that load
    /// from elsewhere on the machine affects both sides alike.
    public static func interleaved(minRuns: Int = 5, minSeconds: Double = 0.5, ours: () -> Void,
                                   peer: () -> Void) -> (ours: Double, peer: Double) {
        ours()
        peer()
        var a: [Double] = [], b: [Double] = []
        var total = 0.0
        while a.count < minRuns || total < 2 * minSeconds {
            let t0 = DispatchTime.now().uptimeNanoseconds
            ours()
            let t1 = DispatchTime.now().uptimeNanoseconds
            peer()
            let t2 = DispatchTime.now().uptimeNanoseconds
            a.append(Double(t1 - t0) / 1e9)
            b.append(Double(t2 - t1) / 1e9)
            total += Double(t2 - t0) / 1e9
            if a.count >= 1000 { break }
        }
        a.sort()
        b.sort()
        return (a[a.count / 2], b[b.count / 2])
    }
}
