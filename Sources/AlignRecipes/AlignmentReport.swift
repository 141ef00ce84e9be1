// AlignmentReport: what a run of the demo or of the verify → pair → train loop measured — the base and
// aligned figures, every training step's loss and metrics, per-round figures of the loop, the settings and
// phase timings — written as report.json (Codable, snake_case keys) and report.html (the table and the
// curves as inline SVG). Both files are written atomically (temporary file + rename).
import AlignTraining
import Foundation

/// One training step in the report.
public struct ReportStep: Codable, Sendable, Equatable {
    public var round: Int
    public var step: Int
    public var loss: Double
    public var metrics: [String: Double]
}

/// One round of the loop.
public struct ReportRound: Codable, Sendable, Equatable {
    public var round: Int
    /// Mean CSR of the round's sampled training responses (before training on them).
    public var sampledCSR: Double
    /// Preference pairs built from them.
    public var pairs: Int
    /// The policy after the round's training.
    public var after: PolicyFigures
}

/// The report of one run.
public struct AlignmentReport: Codable, Sendable, Equatable {
    /// "demo" or "act".
    public var kind: String
    public var model: String
    public var seed: UInt64
    public var settings: [String: String]
    public var base: PolicyFigures
    public var aligned: PolicyFigures
    public var rounds: [ReportRound]
    public var steps: [ReportStep]
    /// Wall-clock seconds per phase, in order.
    public var timings: [String: Double]

    /// The before/after rows: (name, base, aligned) with values formatted for a table.
    public var table: [(String, String, String)] {
        func pct(_ x: Double?) -> String { x.map { String(format: "%.1f%%", 100 * $0) } ?? "—" }
        return [
            ("held-out ranking accuracy (Σ log-prob, \(base.heldoutPairs) pairs)", pct(base.rankingAccuracy), pct(aligned.rankingAccuracy)),
            ("held-out reward accuracy vs base (implicit DPO reward)", pct(base.rewardAccuracyVsBase), pct(aligned.rewardAccuracyVsBase)),
            ("mean log-prob margin chosen − rejected", String(format: "%.2f", base.meanLogpMargin), String(format: "%.2f", aligned.meanLogpMargin)),
            ("held-out CSR (\(base.responses) sampled responses)", pct(base.csr), pct(aligned.csr)),
            ("responses satisfying every constraint", pct(base.allSatisfied), pct(aligned.allSatisfied)),
            ("mean response length (words)", String(format: "%.1f", base.meanWords), String(format: "%.1f", aligned.meanWords)),
        ]
    }

    /// Plain-text table for the terminal.
    public func textTable() -> String {
        let rows = [("metric", "base", "aligned")] + table
        let w0 = rows.map(\.0.count).max() ?? 0, w1 = rows.map(\.1.count).max() ?? 0
        return rows.map { r in
            r.0.padding(toLength: w0, withPad: " ", startingAt: 0) + "  " + String(repeating: " ", count: w1 - r.1.count) + r.1 + "  " + r.2
        }.joined(separator: "\n")
    }

    /// Writes report.json and report.html into `directory` (created if needed); returns their URLs.
    @discardableResult
    public func write(to directory: URL) throws -> (json: URL, html: URL) {
        do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
            throw AlignRecipesError.writeFailed(path: directory.path, reason: error.localizedDescription)
        }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let json = directory.appendingPathComponent("report.json"), html = directory.appendingPathComponent("report.html")
        for (url, data) in [(json, try encoder.encode(self)), (html, Data(ReportHTML.render(self).utf8))] {
            do { try data.write(to: url, options: .atomic) } catch {
                throw AlignRecipesError.writeFailed(path: url.path, reason: error.localizedDescription)
            }
        }
        return (json, html)
    }

    static func steps(_ logs: [StepLog], round: Int) -> [ReportStep] {
        logs.map { ReportStep(round: round, step: $0.step, loss: $0.loss, metrics: $0.metrics) }
    }
}
