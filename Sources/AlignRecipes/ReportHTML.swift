// ReportHTML: the human-readable page of an AlignmentReport — the before/after table, the training loss and
// reward-accuracy curves, the held-out CSR per round (for the loop), and sample responses — one
// self-contained HTML file with inline SVG (no scripts, no network).
import Foundation

enum ReportHTML {
    static func render(_ r: AlignmentReport) -> String {
        var s = "<!doctype html><html><head><meta charset=\"utf-8\"><title>AlignKit \(escape(r.kind)) report</title>"
        s += "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}td,th{padding:.2em .8em;text-align:right}"
        s += "td:first-child,th:first-child{text-align:left}pre{white-space:pre-wrap;background:#f4f4f4;padding:.5em}</style></head><body>"
        s += "<h1>AlignKit \(escape(r.kind)): \(escape(r.model))</h1><table><tr><th>metric</th><th>base</th><th>aligned</th></tr>"
        for row in r.table { s += "<tr><td>\(escape(row.0))</td><td>\(row.1)</td><td>\(row.2)</td></tr>" }
        s += "</table>"
        let x = r.steps.indices.map(Double.init)
        s += "<h2>Training loss</h2>" + chart(x: x, y: r.steps.map(\.loss), xLabel: "optimizer step (all rounds)")
        let acc = r.steps.map { $0.metrics["rewards/accuracies"] ?? .nan }
        if acc.contains(where: { $0.isFinite }) {
            s += "<h2>Training reward accuracy</h2>" + chart(x: x, y: acc, xLabel: "optimizer step (all rounds)")
        }
        if !r.rounds.isEmpty {
            let rounds = [0.0] + r.rounds.map { Double($0.round) }
            s += "<h2>Held-out CSR per round</h2>" + chart(x: rounds, y: [r.base.csr] + r.rounds.map(\.after.csr), xLabel: "round")
        }
        s += "<h2>Samples</h2>"
        for (name, fig) in [("base", r.base), ("aligned", r.aligned)] {
            for e in fig.examples {
                s += "<p><b>\(name)</b>, \(escape(e.id)), CSR \(String(format: "%.2f", e.csr))</p><pre>\(escape(e.prompt + " " + e.response))</pre>"
            }
        }
        s += "<h2>Settings</h2><table>"
        for (k, v) in r.settings.sorted(by: { $0.key < $1.key }) { s += "<tr><td>\(escape(k))</td><td>\(escape(v))</td></tr>" }
        return s + "</table></body></html>\n"
    }

    /// A 600×220 line chart of the finite points of (x, y).
    static func chart(x: [Double], y: [Double], xLabel: String) -> String {
        let pts = zip(x, y).filter { $0.1.isFinite }
        guard let x0 = pts.map(\.0).min(), let x1 = pts.map(\.0).max(), let y0 = pts.map(\.1).min(), let y1 = pts.map(\.1).max() else {
            return "<p>(no data)</p>"
        }
        let (w, h, m) = (600.0, 220.0, 40.0)
        func px(_ v: Double) -> Double { m + (x1 > x0 ? (v - x0) / (x1 - x0) : 0.5) * (w - 2 * m) }
        func py(_ v: Double) -> Double { h - m + (y1 > y0 ? -(v - y0) / (y1 - y0) : -0.5) * (h - 2 * m) }
        let line = pts.map { String(format: "%.1f,%.1f", px($0.0), py($0.1)) }.joined(separator: " ")
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\">"
        s += "<rect x=\"\(m)\" y=\"\(m)\" width=\"\(w - 2 * m)\" height=\"\(h - 2 * m)\" fill=\"none\" stroke=\"#ccc\"/>"
        s += "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" points=\"\(line)\"/>"
        s += String(format: "<text x=\"2\" y=\"%.0f\" font-size=\"11\">%.3g</text>", m + 4, y1)
        s += String(format: "<text x=\"2\" y=\"%.0f\" font-size=\"11\">%.3g</text>", h - m + 4, y0)
        s += "<text x=\"\(Int(w / 2 - 60))\" y=\"\(Int(h - 8))\" font-size=\"11\">\(escape(xLabel))</text></svg>"
        return s
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
