// WorkerPool: threads that stay alive between calls and wait for work by spinning briefly, then by
// sleeping on a condition variable — for the many short parallel kernels of a decoding step (about 200
// matrix–vector products of 0.05–0.5 ms per token), where waking a sleeping thread per call (libdispatch's
// concurrentPerform, or OpenBLAS's server threads after their idle timeout) costs a noticeable share of
// each call. The spin-then-block policy is the one of OpenMP runtimes (GOMP_SPINCOUNT, KMP_BLOCKTIME) and of
// OpenBLAS's blas_server: a worker that found no work for `spinSeconds` goes to sleep, so an idle process
// does not hold a core.
//
// Work is split into chunks that the caller and the workers claim one at a time (dynamic scheduling, as
// OpenMP's schedule(dynamic)), never assigned to a thread in advance: on a loaded machine a worker that is
// not running simply claims nothing and the caller does every chunk, instead of the caller waiting a
// scheduler time slice for it. The caller waits only for chunks a worker actually claimed.
//
// Protocol. `ticket` packs (job number, chunk count, next unclaimed chunk); a thread claims a chunk by a
// compare-exchange that keeps the job number, so a claim can only succeed for the job it read, and a job
// cannot finish (its `done` count cannot reach the chunk count) while a claimed chunk runs — so after a
// successful claim the job's body is still valid to read. The caller publishes the body before the
// ticket (sequentially consistent store). A worker going to sleep registers in `sleepers` under the mutex
// and re-checks the ticket before waiting; the caller signals when it sees a sleeper after publishing,
// so no wake-up is lost (one of the two sees the other's write).
// One job at a time: a call made while the pool is busy (another thread's job, or a nested call) runs its
// chunks serially on the calling thread, so concurrent callers stay correct.
// Linux only (Synchronization's Atomic needs macOS 15; macOS uses Accelerate's own threads).
#if os(Linux)
import Foundation
import Glibc
import Synchronization

/// A fixed set of persistent worker threads running one parallel job at a time.
final class WorkerPool: @unchecked Sendable {
    /// One worker per core beyond the caller's, started on first use.
    static let shared = WorkerPool(workers: ProcessInfoCores.count - 1)

    /// Worker threads (the caller is one more).
    let workers: Int
    /// How long an idle worker polls before it sleeps: longer than the gaps between the products of one
    /// decoding step (norms, rotary, attention: tens of µs), short enough not to hold a core when idle.
    static let spinSeconds = 0.002
    /// Chunks per job at most (the ticket keeps the count and the next chunk in 16 bits each).
    static let maxChunks = 1 << 15

    private let ticket = Atomic<Int>(0)
    private let done = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    private let sleepers = Atomic<Int>(0)
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Written by the caller before the ticket is published, read by a thread after it claimed a chunk.
    nonisolated(unsafe) private var job: ((Int) -> Void)?

    init(workers: Int) {
        self.workers = max(0, workers)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
        for _ in 0 ..< self.workers {
            let thread = Thread { [self] in loop() }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Runs `body(0) … body(chunks − 1)`, each exactly once, on the calling thread and whichever workers
    /// are free, and returns when all are done. Serial when the pool has no workers or is busy.
    /// `body` may be kept by a worker after the call returns, but is never called after it.
    func run(chunks n: Int, _ body: @escaping (Int) -> Void) {
        guard n > 1, workers > 0, n <= Self.maxChunks,
              busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            for c in 0 ..< n { body(c) }
            return
        }
        job = body
        done.store(0, ordering: .relaxed)
        let number = (ticket.load(ordering: .relaxed) >> 32) + 1
        ticket.store(number << 32 | n << 16, ordering: .sequentiallyConsistent)
        if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
            pthread_mutex_lock(mutex)
            pthread_cond_broadcast(wake)
            pthread_mutex_unlock(mutex)
        }
        work(job: number)
        var spins = 0
        while done.load(ordering: .acquiring) < n {
            spins += 1
            if spins > 1 << 10 { sched_yield() }  // a worker descheduled mid-chunk: give up the core
        }
        busy.store(false, ordering: .releasing)
    }

    /// Claims and runs chunks of job `number` until none is left (or the job is no longer current).
    private func work(job number: Int) {
        while true {
            let t = ticket.load(ordering: .acquiring)
            let (count, next) = ((t >> 16) & 0xFFFF, t & 0xFFFF)
            guard t >> 32 == number, next < count else { return }
            guard ticket.compareExchange(expected: t, desired: t + 1, ordering: .acquiringAndReleasing).exchanged
            else { continue }
            job?(next)
            done.add(1, ordering: .releasing)
        }
    }

    private func loop() {
        var seen = 0
        while true {
            seen = waitForJob(after: seen)
            work(job: seen)
        }
    }

    /// Returns the number of a job newer than `seen`: polling (spinning, then yielding the core between
    /// polls) for `spinSeconds`, then sleeping until the caller signals.
    private func waitForJob(after seen: Int) -> Int {
        var polls = 0
        var deadline = 0.0
        while true {
            let number = ticket.load(ordering: .acquiring) >> 32
            if number != seen { return number }
            polls += 1
            if polls & 255 != 0 { continue }
            if polls > 1 << 14 { sched_yield() }  // past a few tens of µs: poll politely
            let now = Self.monotonicSeconds()
            if deadline == 0 { deadline = now + Self.spinSeconds; continue }
            if now < deadline { continue }
            pthread_mutex_lock(mutex)
            sleepers.add(1, ordering: .sequentiallyConsistent)
            while ticket.load(ordering: .sequentiallyConsistent) >> 32 == seen { pthread_cond_wait(wake, mutex) }
            sleepers.subtract(1, ordering: .sequentiallyConsistent)
            pthread_mutex_unlock(mutex)
            polls = 0
            deadline = 0
        }
    }

    static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}
#endif
