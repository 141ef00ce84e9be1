// AlignmentReport: report.json round-trips with snake_case keys, report.html holds the table and a curve,
// and the terminal table shows the before/after values.
@testable import AlignRecipes
import Foundation
import Testing

@Suite struct AlignmentReportTests {
    static func figures(_ acc: Double, _ csr: Double, vsBase: Double?) -> PolicyFigures {
        PolicyFigures(heldoutPairs: 10, rankingAccuracy: acc, meanLogpMargin: 1.5, rewardAccuracyVsBase: vsBase, csr: csr,
                      allSatisfied: csr / 2, responses: 20, meanWords: 12, examples: [MeasuredSample(id: "q", prompt: "P", response: "a <b>", csr: 1)])
    }

    static let report = AlignmentReport(kind: "demo", model: "m", seed: 3, settings: ["objective": "sigmoid"],
                                        base: figures(0.4, 0.25, vsBase: nil), aligned: figures(0.7, 0.75, vsBase: 0.9), rounds: [],
                                        steps: [ReportStep(round: 1, step: 1, loss: 0.69, metrics: ["rewards/accuracies": 0.5]),
                                                ReportStep(round: 1, step: 2, loss: 0.5, metrics: ["rewards/accuracies": 1])],
                                        timings: ["total": 1])

    @Test func writesJSONAndHTML() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)")
        let files = try Self.report.write(to: dir)
        let data = try Data(contentsOf: files.json)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let aligned = try #require(object["aligned"] as? [String: Any])
        #expect(aligned["ranking_accuracy"] as? Double == 0.7)
        #expect(aligned["reward_accuracy_vs_base"] as? Double == 0.9)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        #expect(try decoder.decode(AlignmentReport.self, from: data) == Self.report)
        let html = try String(contentsOf: files.html, encoding: .utf8)
        #expect(html.contains("<td>70.0%</td>"))
        #expect(html.contains("<polyline"))
        #expect(html.contains("a &lt;b&gt;"))  // sample text is escaped
    }

    @Test func textTableShowsBothColumns() {
        let lines = Self.report.textTable().split(separator: "\n")
        #expect(lines.count == 7)
        #expect(lines[1].hasSuffix("40.0%  70.0%"))
        #expect(lines[2].hasSuffix("—  90.0%"))
        #expect(lines[4].hasSuffix("25.0%  75.0%"))
    }
}
