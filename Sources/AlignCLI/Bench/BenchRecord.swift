// BenchRecord: one benchmark result in DESIGN.md's `--json` line format, plus table printing.
import Foundation

/// One measured case. `ratio` = AlignKit ÷ peer for rates; `limitFraction` = AlignKit ÷ machine limit.
public struct BenchRecord: Codable, Sendable {
    public var bench: String
    public var `case`: String
    public var unit: String
    public var alignkit: Double
    public var peer: String?
    public var peerValue: Double?
    public var ratio: Double?
    public var limit: Double?
    public var limitFraction: Double?

    enum CodingKeys: String, CodingKey {
        case bench, `case`, unit, alignkit, peer, ratio, limit
        case peerValue = "peer_value"
        case limitFraction = "limit_fraction"
    }

    public init(bench: String, case name: String, unit: String, alignkit: Double, peer: String? = nil,
                peerValue: Double? = nil, limit: Double? = nil) {
        self.bench = bench
        self.case = name
        self.unit = unit
        self.alignkit = alignkit
        self.peer = peer
        self.peerValue = peerValue
        self.ratio = peerValue.map { alignkit / $0 }
        self.limit = limit
        self.limitFraction = limit.map { alignkit / $0 }
    }

    /// This record measured against `limit` (sets `limit` and `limitFraction`).
    public func withLimit(_ limit: Double) -> BenchRecord {
        var r = self
        r.limit = limit
        r.limitFraction = alignkit / limit
        return r
    }

    /// The record as one JSON line (absent fields omitted, keys in a stable order).
    public func jsonLine() -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        guard let data = try? enc.encode(self), let s = String(data: data, encoding: .utf8) else { return "{}" }
        return s
    }
}

/// Renders records as an aligned text table.
public func benchTable(_ records: [BenchRecord]) -> String {
    func f(_ v: Double?) -> String { v.map { String(format: "%.3g", $0) } ?? "-" }
    let header = ["case", "unit", "alignkit", "peer", "peer value", "ratio", "limit", "of limit"]
    let rows = records.map { r in
        [r.case, r.unit, f(r.alignkit), r.peer ?? "-", f(r.peerValue), f(r.ratio), f(r.limit),
         r.limitFraction.map { String(format: "%.0f%%", $0 * 100) } ?? "-"]
    }
    let widths = header.indices.map { i in ([header] + rows).map { $0[i].count }.max() ?? 0 }
    func line(_ cells: [String]) -> String {
        zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
    }
    return ([line(header), line(widths.map { String(repeating: "-", count: $0) })] + rows.map(line)).joined(separator: "\n")
}
