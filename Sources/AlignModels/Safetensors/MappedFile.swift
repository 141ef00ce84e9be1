// MappedFile: a read-only view of a whole file's bytes, memory-mapped with mmap(2) (Glibc on
// Linux, Darwin on macOS) so a multi-GB checkpoint costs no copy until a tensor is converted, with
// a read-into-memory fallback for file systems that cannot map. Mirrors what safetensors' Rust
// loader does with memmap2. The size is taken once at open; every later read is bounds-checked
// against it by the header validation (a file truncated by another process while mapped could
// still fault — the same caveat every mmap loader has).
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of one file, mapped or read; released on deinit.
final class MappedFile: @unchecked Sendable {
    /// How the bytes are brought in.
    enum Mode: Sendable { case mapped, read }

    let path: String
    /// The whole file.
    let bytes: UnsafeRawBufferPointer
    /// How `bytes` was obtained (a mapping request may fall back to `.read`).
    let mode: Mode

    /// Opens `path`; `mode == .mapped` tries mmap first and falls back to reading.
    init(path: String, mode: Mode = .mapped) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw AlignModelsError.unreadableFile(file: path, reason: MappedFile.errnoText()) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw AlignModelsError.unreadableFile(file: path, reason: MappedFile.errnoText()) }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw AlignModelsError.unreadableFile(file: path, reason: "not a regular file")
        }
        let size = Int(st.st_size)
        if size == 0 {
            (bytes, self.mode) = (UnsafeRawBufferPointer(start: nil, count: 0), .read)
            return
        }
        if mode == .mapped, let p = MappedFile.map(fd: fd, size: size) {
            (bytes, self.mode) = (UnsafeRawBufferPointer(start: p, count: size), .mapped)
            return
        }
        bytes = UnsafeRawBufferPointer(try MappedFile.readAll(fd: fd, size: size, path: path))
        self.mode = .read
    }

    deinit {
        guard let base = bytes.baseAddress else { return }
        switch mode {
        case .mapped: munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        case .read: UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }

    /// mmap the file read-only and private, or nil when the system refuses.
    private static func map(fd: Int32, size: Int) -> UnsafeMutableRawPointer? {
        let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        // MAP_FAILED is ((void *)-1), which Swift does not import as a constant.
        guard let p, p != UnsafeMutableRawPointer(bitPattern: -1) else { return nil }
        return p
    }

    /// Reads `size` bytes into a fresh 64-byte-aligned allocation (pread loop; short reads retried).
    private static func readAll(fd: Int32, size: Int, path: String) throws -> UnsafeMutableRawBufferPointer {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 64)
        var done = 0
        while done < size {
            let n = pread(fd, buffer.baseAddress! + done, size - done, off_t(done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                buffer.deallocate()
                let reason = n == 0 ? "file shrank while reading (\(done) of \(size) bytes)" : errnoText()
                throw AlignModelsError.unreadableFile(file: path, reason: reason)
            }
            done += n
        }
        return buffer
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
