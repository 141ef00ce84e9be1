// StagedFolder: write a whole output folder (a merged model: weights, config, tokenizer) into a
// sibling staging folder and move it into place only when every file is written, so an interrupted or
// failed `align merge` never leaves a half-written model where a complete one is expected: a new
// folder appears whole (one rename); in an existing folder the files are replaced only once all of
// them are written.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

enum StagedFolder {
    /// Runs `write` on a fresh staging folder beside `destination`, then puts its files at `destination`.
    /// On an error from `write` the staging folder is removed and `destination` is left as it was.
    static func write(to destination: URL, _ write: (URL) throws -> Void) throws {
        let fm = FileManager.default
        let dest = destination.standardizedFileURL
        let parent = dest.deletingLastPathComponent()
        let tag = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0 ... .max))"
        let staging = parent.appendingPathComponent(".\(dest.lastPathComponent).staging-\(tag)")
        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        } catch {
            throw AlignCLIError.writeFailed(file: staging.path, reason: error.localizedDescription)
        }
        do {
            try write(staging)
            try swapIn(staging, at: dest)
        } catch {
            try? fm.removeItem(at: staging)
            throw error
        }
    }

    /// Moves `staging` to `dest`. A new folder is one rename. Into an existing folder (which may hold other
    /// files of the user's — nothing else in it is touched) each staged file is renamed over its namesake,
    /// only after all were written.
    private static func swapIn(_ staging: URL, at dest: URL) throws {
        let fm = FileManager.default
        do {
            guard fm.fileExists(atPath: dest.path) else { return try fm.moveItem(at: staging, to: dest) }
            for name in try fm.contentsOfDirectory(atPath: staging.path).sorted() {
                let source = staging.appendingPathComponent(name).path, target = dest.appendingPathComponent(name).path
                guard rename(source, target) == 0 else {  // POSIX rename replaces an existing file atomically
                    throw AlignCLIError.writeFailed(file: target, reason: String(cString: strerror(errno)))
                }
            }
            try fm.removeItem(at: staging)
        } catch {
            throw AlignCLIError.writeFailed(file: dest.path, reason: error.localizedDescription)
        }
    }
}
