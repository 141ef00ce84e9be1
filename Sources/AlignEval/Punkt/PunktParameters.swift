// PunktParameters: the learned model of NLTK's Punkt sentence tokenizer, read from the punkt_tab text format.
//
// Mirrors nltk 3.10.4 `nltk/tokenize/punkt.py` (`PunktParameters`, `load_punkt_params`) and `nltk/tabdata.py`
// (`PunktDecoder`): four UTF-8 files — abbrev_types.txt and sent_starters.txt (one type per line),
// collocations.tab (two tab-separated types per line), ortho_context.tab (type TAB integer flags).
// Lines lose only their trailing newline, as `rm_nl` does. The English model ships as a resource of this module
// (Resources/punkt_tab_english, NLTK data; see the README there).
import Foundation

/// Abbreviations, collocations, sentence starters and orthographic contexts of a Punkt model.
public struct PunktParameters: Sendable {
    /// Known abbreviation types (lowercase, without the final period), e.g. "dr", "u.s".
    public var abbrevTypes: Set<String>
    /// Known collocations (type1, type2) where type1 ended with a period, joined as "type1\ttype2".
    public var collocations: Set<String>
    /// Types that often start a sentence.
    public var sentStarters: Set<String>
    /// Orthographic context flags per type (bit set of `PunktOrtho`).
    public var orthoContext: [String: Int]

    /// Loads the four punkt_tab files from `directory`.
    /// - Throws: `AlignEvalError.unreadableFile` or `.malformedLine` naming the file and line.
    public init(directory: URL) throws {
        func lines(_ name: String) throws -> [Substring] {
            let url = directory.appendingPathComponent(name)
            let text: String
            do { text = try String(contentsOf: url, encoding: .utf8) } catch {
                throw AlignEvalError.unreadableFile(path: url.path, reason: "\(error)")
            }
            var result = text.split(separator: "\n", omittingEmptySubsequences: false)
            if result.last == "" { result.removeLast() }
            return result
        }
        abbrevTypes = Set(try lines("abbrev_types.txt").map(String.init))
        sentStarters = Set(try lines("sent_starters.txt").map(String.init))
        collocations = []
        for (n, line) in try lines("collocations.tab").enumerated() {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw AlignEvalError.malformedLine(
                    path: directory.appendingPathComponent("collocations.tab").path, line: n + 1,
                    reason: "expected two tab-separated types")
            }
            collocations.insert(parts[0] + "\t" + parts[1])
        }
        orthoContext = [:]
        for (n, line) in try lines("ortho_context.tab").enumerated() {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard parts.count == 2, let flags = Int(parts[1]) else {
                throw AlignEvalError.malformedLine(
                    path: directory.appendingPathComponent("ortho_context.tab").path, line: n + 1,
                    reason: "expected 'type<TAB>integer'")
            }
            orthoContext[String(parts[0])] = flags
        }
    }

    /// The English model bundled with AlignEval (NLTK's `punkt_tab/english`).
    public static func english() throws -> PunktParameters {
        guard let url = Bundle.module.url(forResource: "punkt_tab_english", withExtension: nil) else {
            throw AlignEvalError.badResource(name: "punkt_tab_english", reason: "not found in the AlignEval bundle")
        }
        return try PunktParameters(directory: url)
    }
}

/// Orthographic context flags (nltk punkt.py `_ORTHO_*`): where a type was seen and with which case.
enum PunktOrtho {
    static let begUC = 1 << 1, midUC = 1 << 2, unkUC = 1 << 3
    static let begLC = 1 << 4, midLC = 1 << 5, unkLC = 1 << 6
    static let uc = begUC | midUC | unkUC
    static let lc = begLC | midLC | unkLC
}
