// IFEvalReport+JSON: machine-readable IFEval outputs.
//
// `perPromptJSONLines` writes one line per prompt in the layout of shared/data/ifeval/expected (the reference's
// strict and loose `OutputExample`s side by side: key, instruction_id_list, strict_follow_instruction_list,
// strict_follow_all, loose_follow_instruction_list, loose_follow_all), so an output can be diffed against the
// reference's verdicts line by line. `summaryJSON` uses lm-eval's metric names.
import Foundation

extension IFEvalReport {
    /// One JSON object per prompt, "\n"-terminated, in input order.
    public func perPromptJSONLines() -> String {
        var out = ""
        for r in results {
            let ids = r.instructionIds.map(IFEvalReport.jsonString).joined(separator: ", ")
            func bools(_ b: [Bool]) -> String { "[" + b.map { $0 ? "true" : "false" }.joined(separator: ", ") + "]" }
            out += "{\"key\": \(r.key), \"instruction_id_list\": [\(ids)], "
            out += "\"strict_follow_instruction_list\": \(bools(r.strict)), \"strict_follow_all\": \(r.strictAll), "
            out += "\"loose_follow_instruction_list\": \(bools(r.loose)), \"loose_follow_all\": \(r.looseAll)}\n"
        }
        return out
    }

    /// The four accuracies under lm-eval's names plus the prompt and instruction counts, as one JSON object.
    public func summaryJSON() -> String {
        let metrics = self.metrics.map { "\"\($0.name)\": \($0.value)" }.joined(separator: ", ")
        return "{\(metrics), \"num_prompts\": \(promptStrict.total), \"num_instructions\": \(instructionStrict.total)}"
    }

    static func jsonString(_ s: String) -> String {
        let data = (try? JSONEncoder().encode(s)) ?? Data("\"\"".utf8)  // encoding a String cannot fail
        return String(decoding: data, as: UTF8.self)
    }
}

/// Writes `text` to `url` atomically (temporary file in the same folder, then rename).
/// - Throws: `AlignEvalError.unreadableFile` naming the path when the write fails.
public func writeFileAtomically(_ text: String, to url: URL) throws {
    do { try Data(text.utf8).write(to: url, options: .atomic) } catch {
        throw AlignEvalError.unreadableFile(path: url.path, reason: "cannot write: \(error.localizedDescription)")
    }
}
