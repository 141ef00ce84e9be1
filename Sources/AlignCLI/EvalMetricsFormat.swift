// Output helpers shared by the metric commands (`eval prefs`, `eval kl`, `eval diversity`, `eval rm-winrate`):
// one JSON object per line with sorted keys for `--json`, and fixed-width table rows otherwise.
import AlignEval
import Foundation

enum EvalMetricsFormat {
    /// One JSON object on one line, keys sorted, "/" unescaped (TRL names like `rewards/margins` stay readable).
    static func jsonLine(_ object: [String: Any]) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    /// `name` left-aligned in `width` columns, then the values formatted with `%.6g` in 12 columns each.
    static func row(_ name: String, _ values: [Double], width: Int = 14) -> String {
        name.padding(toLength: width, withPad: " ", startingAt: 0)
            + values.map { String(format: "%12.6g", $0) }.joined()
    }

    /// Column headers aligned with `row`.
    static func header(_ name: String, _ columns: [String], width: Int = 14) -> String {
        name.padding(toLength: width, withPad: " ", startingAt: 0)
            + columns.map { String(repeating: " ", count: max(0, 12 - $0.count)) + $0 }.joined()
    }

    /// A distribution as a JSON object.
    static func json(_ d: Distribution) -> [String: Any] {
        ["count": d.count, "mean": d.mean, "median": d.median, "p90": d.p90, "p95": d.p95, "min": d.min, "max": d.max]
    }

    /// A KL summary as a JSON object.
    static func json(_ s: KLSummary) -> [String: Any] {
        ["per_token": s.perToken, "per_sequence": s.perSequence, "tokens": s.tokens, "sequences": s.sequenceSums.count]
    }
}
