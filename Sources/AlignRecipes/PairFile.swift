// PairFile: writes preference pairs as TRL's explicit-prompt paired JSONL ({"prompt", "chosen", "rejected"}
// per line), atomically — the format `align train dpo`, `align eval prefs` and TRL read back.
import AlignEval
import Foundation

/// Writes pair files.
public enum PairFile {
    private struct Row: Encodable { let prompt: String, chosen: String, rejected: String }

    /// Writes `pairs` to `url` (its folder is created).
    public static func write(_ pairs: [PreferencePair], to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        var data = Data()
        for p in pairs {
            data += try encoder.encode(Row(prompt: p.prompt, chosen: p.chosen, rejected: p.rejected))
            data += Data("\n".utf8)
        }
        do { try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true) } catch {
            throw AlignRecipesError.writeFailed(path: url.path, reason: error.localizedDescription)
        }
        do { try data.write(to: url, options: .atomic) } catch {
            throw AlignRecipesError.writeFailed(path: url.path, reason: error.localizedDescription)
        }
    }
}
