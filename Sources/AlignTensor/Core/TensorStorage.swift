// TensorStorage: one 64-byte-aligned allocation of Float32, shared by a tensor and its views.
// Large buffers (≥ 1 MiB) are recycled through a size-keyed pool: glibc serves blocks over 32 MiB
// with fresh mmap'd pages, so without reuse every large result (a logits chunk, attention
// probabilities, an lm-head product) pays one page fault per 4 KiB on every step — ~10% of a
// 2048×49152×576 sgemm here. Training and decoding loops allocate the same shapes each step, so
// exact-size reuse hits.
import Foundation

/// Owns a Float32 buffer. Tensors that are views (reshape, row ranges) share one storage.
public final class TensorStorage: @unchecked Sendable {
    /// The whole allocation.
    public let buffer: UnsafeMutableBufferPointer<Float>

    /// Allocates `count` floats, zero-filled. 64-byte alignment suits AVX-512 loads and BLAS.
    public init(count: Int) {
        buffer = StoragePool.allocate(count)
        buffer.baseAddress!.initialize(repeating: 0, count: max(count, 1))
    }

    /// Allocates storage without zeroing; callers must write every element before reading.
    public init(uninitializedCount count: Int) {
        buffer = StoragePool.allocate(count)
        if TensorStorage.poisonsUninitialized { buffer.update(repeating: .nan) }
    }

    /// Testing hook: fills every uninitialized allocation with NaN, so a kernel that reads part of its
    /// result before writing it shows up as NaN instead of silently reading zero pages or a recycled
    /// buffer's stale values. On when the environment sets `ALIGNKIT_POISON_UNINITIALIZED=1`; tests
    /// may switch it on, never off (correct kernels cannot tell, so suites running in parallel are
    /// unaffected). Off, it costs one load of a flag per allocation.
    nonisolated(unsafe) static var poisonsUninitialized =
        ProcessInfo.processInfo.environment["ALIGNKIT_POISON_UNINITIALIZED"] == "1"

    deinit {
        StoragePool.release(buffer)
    }

    /// Frees every pooled buffer (e.g. after a large job, before handing memory back to an app).
    public static func releasePooledMemory() {
        StoragePool.drain()
    }
}

/// Recycles large allocations by exact size, up to `capacityBytes` held at once.
enum StoragePool {
    static let minimumBytes = 1 << 20
    /// A quarter of physical memory (at least 1 GiB). A training step frees its activations in the backward and
    /// allocates them again in the next forward: a 135M DPO step at 3,072 tokens cycles ~2 GB that way, and with
    /// a 1 GiB cap the rest came back as fresh pages — ~260k page faults (each zeroing 4 KiB) per step. Pooled
    /// memory was live before it was freed, so the cap bounds only what size mismatches can strand.
    static let capacityBytes = max(1 << 30, Int(ProcessInfo.processInfo.physicalMemory / 4))
    nonisolated(unsafe) private static var free: [Int: [UnsafeMutableRawPointer]] = [:]
    nonisolated(unsafe) private static var heldBytes = 0
    private static let lock = NSLock()

    static func bytes(_ count: Int) -> Int { max(count, 1) * MemoryLayout<Float>.stride }

    static func allocate(_ count: Int) -> UnsafeMutableBufferPointer<Float> {
        let size = bytes(count)
        var raw: UnsafeMutableRawPointer?
        if size >= minimumBytes {
            lock.lock()
            raw = free[size]?.popLast()
            if raw != nil { heldBytes -= size }
            lock.unlock()
            if raw == nil && Profile.isEnabled { Profile.add("pool miss \(size >> 20) MiB", seconds: 0) }
        }
        // A recycled buffer is handed out as it was left: `init(count:)` zeroes what it gives, and every kernel
        // writes its uninitialized result in full before reading it. The witness is the whole test suite run
        // with `ALIGNKIT_POISON_UNINITIALIZED=1` (every uninitialized buffer NaN-filled), as `scripts/test` runs it.
        // The pool used to zero every recycled buffer, after a KL-of-a-model-against-itself test drifted when
        // suites ran in parallel (e7032b9); that drift is BLAS's process-wide split state (scripts/test), and
        // the memset was ~2% of a 135M training run's CPU time, on one core.
        // Pooled sizes are exact (`count` floats), so there is no tail past `count` that poisoning would miss.
        let p = (raw ?? UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64))
            .bindMemory(to: Float.self, capacity: max(count, 1))
        return UnsafeMutableBufferPointer(start: p, count: count)
    }

    static func release(_ buffer: UnsafeMutableBufferPointer<Float>) {
        let raw = UnsafeMutableRawPointer(buffer.baseAddress!)
        let size = bytes(buffer.count)
        if size >= minimumBytes {
            lock.lock()
            let keep = heldBytes + size <= capacityBytes
            if keep { free[size, default: []].append(raw); heldBytes += size }
            lock.unlock()
            if keep { return }
        }
        raw.deallocate()
    }

    static func drain() {
        lock.lock()
        let all = free.values.flatMap { $0 }
        free = [:]
        heldBytes = 0
        lock.unlock()
        all.forEach { $0.deallocate() }
    }
}
