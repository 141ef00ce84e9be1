// TensorStorage: one 64-byte-aligned allocation of Float32, shared by a tensor and its views.

/// Owns a Float32 buffer. Tensors that are views (reshape, row ranges) share one storage.
public final class TensorStorage: @unchecked Sendable {
    /// The whole allocation.
    public let buffer: UnsafeMutableBufferPointer<Float>

    /// Allocates `count` floats, zero-filled. 64-byte alignment suits AVX-512 loads and BLAS.
    public init(count: Int) {
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
        let p = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        p.initialize(repeating: 0, count: max(count, 1))
        buffer = UnsafeMutableBufferPointer(start: p, count: count)
    }

    /// Allocates storage without zeroing; callers must write every element before reading.
    public init(uninitializedCount count: Int) {
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
        let p = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        buffer = UnsafeMutableBufferPointer(start: p, count: count)
    }

    deinit {
        UnsafeMutableRawPointer(buffer.baseAddress!).deallocate()
    }
}
