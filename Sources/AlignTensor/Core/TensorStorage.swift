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
        buffer = StoragePool.allocate(count, zeroRecycled: false)  // zeroed here, once
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

    static func allocate(_ count: Int, zeroRecycled: Bool = true) -> UnsafeMutableBufferPointer<Float> {
        let size = bytes(count)
        var raw: UnsafeMutableRawPointer?
        if size >= minimumBytes {
            lock.lock()
            raw = free[size]?.popLast()
            if raw != nil { heldBytes -= size }
            lock.unlock()
        }
        // A recycled buffer is zeroed over its whole size class. Without it a KL-of-identical-models test
        // drifts from 0 when suites run in parallel: some kernel still reads past a tensor's logical end
        // into the allocation's tail (poisoning only `count` elements does not catch it) — to be found.
        // (`zeroRecycled` false: the caller zeroes the whole buffer itself.)
        if zeroRecycled { raw?.initializeMemory(as: UInt8.self, repeating: 0, count: size) }
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
