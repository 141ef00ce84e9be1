// Paired preference data for held-out evaluation: TRL's explicit-prompt paired format as JSONL, one
// {"prompt", "chosen", "rejected"} text object per line (https://huggingface.co/docs/trl/dataset_formats,
// "preference"). Optional numeric columns carry precomputed sequence log-probs under TRL's names
// (`ref_chosen_logps`, `ref_rejected_logps` as DPOTrainer's precompute_ref_log_probs writes them, and
// `chosen_logps`, `rejected_logps` for the policy), so a reference model need not be loaded.
// Every malformed line is an error naming file:line; blank lines are allowed and carry nothing.
import Foundation

/// One held-out preference pair, with optional precomputed sequence log-probs.
public struct PreferencePair: Sendable, Equatable {
    /// The prompt text.
    public var prompt: String
    /// The preferred completion.
    public var chosen: String
    /// The dispreferred completion.
    public var rejected: String
    /// Precomputed Σ log π(chosen | prompt), when the file has `chosen_logps`.
    public var chosenLogps: Double?
    /// Precomputed Σ log π(rejected | prompt), when the file has `rejected_logps`.
    public var rejectedLogps: Double?
    /// Precomputed Σ log π_ref(chosen | prompt), when the file has `ref_chosen_logps`.
    public var refChosenLogps: Double?
    /// Precomputed Σ log π_ref(rejected | prompt), when the file has `ref_rejected_logps`.
    public var refRejectedLogps: Double?
    /// The 1-based line of the file this pair was read from (0 when built in code).
    public var line = 0

    /// A pair without precomputed log-probs.
    public init(prompt: String, chosen: String, rejected: String) {
        (self.prompt, self.chosen, self.rejected) = (prompt, chosen, rejected)
    }

    /// Reads a JSONL file of pairs.
    /// - Throws: `AlignEvalError.unreadableFile`, or `.malformedLine(path, line, reason)` for a line that is not
    ///   a JSON object with string `prompt`, `chosen`, `rejected` (and numeric log-prob columns when present).
    public static func read(_ url: URL) throws -> [PreferencePair] {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw AlignEvalError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        return try parse(text, path: url.path)
    }

    /// Parses JSONL `text`; `path` names the source in errors.
    public static func parse(_ text: String, path: String) throws -> [PreferencePair] {
        var pairs: [PreferencePair] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.allSatisfy(\.isWhitespace) {
            var pair = try parseLine(String(line), path: path, line: i + 1)
            pair.line = i + 1
            pairs.append(pair)
        }
        guard !pairs.isEmpty else { throw AlignEvalError.malformedLine(path: path, line: 1, reason: "no preference pairs in the file") }
        return pairs
    }

    /// One JSONL line → a pair.
    static func parseLine(_ line: String, path: String, line number: Int) throws -> PreferencePair {
        do {
            return try JSONDecoder().decode(Row.self, from: Data(line.utf8)).pair
        } catch let DecodingError.keyNotFound(key, _) {
            throw AlignEvalError.malformedLine(path: path, line: number, reason: "missing key '\(key.stringValue)'")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            let expected = key.hasSuffix("logps") ? "a number" : key.isEmpty ? "a JSON object" : "a string"
            throw AlignEvalError.malformedLine(path: path, line: number, reason: "key '\(key)' must be \(expected)")
        } catch {
            throw AlignEvalError.malformedLine(path: path, line: number,
                                               reason: "expected a JSON object {\"prompt\", \"chosen\", \"rejected\"}")
        }
    }

    /// The JSON layout of one line (TRL's column names).
    private struct Row: Decodable {
        let prompt: String, chosen: String, rejected: String
        let chosenLogps: Double?, rejectedLogps: Double?, refChosenLogps: Double?, refRejectedLogps: Double?
        enum CodingKeys: String, CodingKey {
            case prompt, chosen, rejected
            case chosenLogps = "chosen_logps", rejectedLogps = "rejected_logps"
            case refChosenLogps = "ref_chosen_logps", refRejectedLogps = "ref_rejected_logps"
        }
        var pair: PreferencePair {
            var p = PreferencePair(prompt: prompt, chosen: chosen, rejected: rejected)
            (p.chosenLogps, p.rejectedLogps) = (chosenLogps, rejectedLogps)
            (p.refChosenLogps, p.refRejectedLogps) = (refChosenLogps, refRejectedLogps)
            return p
        }
    }
}
