// Line-oriented JSONL inputs of the metric commands: responses for diversity/length statistics
// ({"response": str} per line, the layout of IFEval's and the constraint verifier's response files),
// numeric score pairs for reward-model metrics ({"chosen_score", "rejected_score"} or
// {"policy_score", "reference_score"}), and per-token log-probs for KL ({"logps": [..], "ref_logps": [..]}).
// Every malformed line is an `AlignEvalError.malformedLine` naming file:line and the key; blank lines carry nothing.
import Foundation

/// Readers for the JSONL files of the metric commands.
public enum MetricInputs {
    /// The `response` strings of a JSONL file.
    public static func responses(_ url: URL) throws -> [String] {
        try lines(url).map { (line, object) in try string(object, "response", url, line) }
    }

    /// Pairs of numbers under `keys` per line (e.g. `("policy_score", "reference_score")`).
    public static func scorePairs(_ url: URL, keys: (String, String)) throws -> (first: [Double], second: [Double]) {
        var a: [Double] = [], b: [Double] = []
        for (line, object) in try lines(url) {
            a.append(try number(object[keys.0], keys.0, url, line))
            b.append(try number(object[keys.1], keys.1, url, line))
        }
        return (a, b)
    }

    /// Per-token log-probs of sampled completions: `logps` and `ref_logps`, equal-length number lists per line.
    public static func tokenLogProbs(_ url: URL) throws -> (policy: [[Double]], reference: [[Double]]) {
        var p: [[Double]] = [], r: [[Double]] = []
        for (line, object) in try lines(url) {
            let lp = try numbers(object, "logps", url, line), rp = try numbers(object, "ref_logps", url, line)
            guard lp.count == rp.count else {
                throw AlignEvalError.malformedLine(path: url.path, line: line,
                                                   reason: "'logps' has \(lp.count) values but 'ref_logps' has \(rp.count)")
            }
            p.append(lp); r.append(rp)
        }
        return (p, r)
    }

    /// (1-based line number, JSON object) for every non-blank line; at least one is required.
    static func lines(_ url: URL) throws -> [(Int, [String: Any])] {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw AlignEvalError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        var out: [(Int, [String: Any])] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !raw.allSatisfy(\.isWhitespace) {
            let parsed = try? JSONSerialization.jsonObject(with: Data(raw.utf8), options: [.fragmentsAllowed])
            guard let object = parsed as? [String: Any] else {
                throw AlignEvalError.malformedLine(path: url.path, line: i + 1, reason: "expected a JSON object")
            }
            out.append((i + 1, object))
        }
        guard !out.isEmpty else { throw AlignEvalError.malformedLine(path: url.path, line: 1, reason: "the file has no lines") }
        return out
    }

    static func string(_ o: [String: Any], _ key: String, _ url: URL, _ line: Int) throws -> String {
        guard let s = o[key] as? String else {
            throw AlignEvalError.malformedLine(path: url.path, line: line,
                                               reason: o[key] == nil ? "missing key '\(key)'" : "key '\(key)' must be a string")
        }
        return s
    }

    /// A finite JSON number (booleans are rejected: Foundation bridges them to NSNumber too).
    static func number(_ v: Any?, _ key: String, _ url: URL, _ line: Int) throws -> Double {
        guard let v else { throw AlignEvalError.malformedLine(path: url.path, line: line, reason: "missing key '\(key)'") }
        guard let n = v as? NSNumber, !isBoolean(n), n.doubleValue.isFinite else {
            throw AlignEvalError.malformedLine(path: url.path, line: line, reason: "key '\(key)' must be a finite number")
        }
        return n.doubleValue
    }

    static func numbers(_ o: [String: Any], _ key: String, _ url: URL, _ line: Int) throws -> [Double] {
        guard let list = o[key] as? [Any] else {
            throw AlignEvalError.malformedLine(path: url.path, line: line,
                                               reason: o[key] == nil ? "missing key '\(key)'" : "key '\(key)' must be a list of numbers")
        }
        return try list.map { try number($0, key, url, line) }
    }

    /// Whether `n` came from a JSON `true`/`false`: JSONSerialization stores those as char-typed ("c") numbers,
    /// while JSON numbers become integer or double types (Linux's `v is Bool` is true for the number 1 as well).
    static func isBoolean(_ n: NSNumber) -> Bool { String(cString: n.objCType) == "c" }
}

extension MetricInputs {
    /// `{"prompt", "completion"}` lines: completions sampled from the policy, for KL.
    public static func samples(_ url: URL) throws -> [SampledCompletion] {
        try lines(url).map { (line, o) in
            SampledCompletion(prompt: try string(o, "prompt", url, line), completion: try string(o, "completion", url, line))
        }
    }
}
