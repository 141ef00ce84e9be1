// AtomicFile: writes a file so that its final name only ever holds a complete file — bytes go to a
// temporary file in the same directory (so rename(2) cannot cross file systems), are fsync'ed,
// then renamed over the destination. A crash or error leaves at most a stray ".*.tmp-*" file, which
// the error path removes. POSIX only (Glibc/Darwin); the usual pattern of checkpoint writers.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A sink for the bytes of one atomically written file.
final class AtomicFileWriter {
    fileprivate let fd: Int32
    fileprivate let tempPath: String
    /// The destination path (for error messages).
    let path: String

    fileprivate init(fd: Int32, tempPath: String, path: String) {
        self.fd = fd
        self.tempPath = tempPath
        self.path = path
    }

    /// Appends `bytes` (write(2) loop; short writes and EINTR retried).
    func append(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw AlignModelsError.writeFailed(file: path, reason: MappedFile.errnoText()) }
            done += n
        }
    }

    /// Appends an array of bytes.
    func append(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try append($0) }
    }
}

enum AtomicFile {
    /// Creates `url` with the bytes `body` writes, atomically: temp file, fsync, rename.
    /// - Throws: `writeFailed` naming `url` (after removing the temp file), or whatever `body` throws.
    static func write(to url: URL, _ body: (AtomicFileWriter) throws -> Void) throws {
        let dir = url.deletingLastPathComponent().path
        let tempPath = dir + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        let fd = open(tempPath, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw AlignModelsError.writeFailed(file: url.path, reason: MappedFile.errnoText()) }
        let writer = AtomicFileWriter(fd: fd, tempPath: tempPath, path: url.path)
        do {
            try body(writer)
            guard fsync(fd) == 0 else { throw AlignModelsError.writeFailed(file: url.path, reason: MappedFile.errnoText()) }
            guard close(fd) == 0 else {
                unlink(tempPath)
                throw AlignModelsError.writeFailed(file: url.path, reason: MappedFile.errnoText())
            }
        } catch {
            close(fd)
            unlink(tempPath)
            throw error
        }
        guard rename(tempPath, url.path) == 0 else {
            let reason = MappedFile.errnoText()
            unlink(tempPath)
            throw AlignModelsError.writeFailed(file: url.path, reason: reason)
        }
    }

    /// Writes `bytes` to `url` atomically.
    static func write(_ bytes: [UInt8], to url: URL) throws {
        try write(to: url) { try $0.append(bytes) }
    }
}
