// `align diagnose ches|entanglement|topk` on the bundled demo model and its held-out preference pairs: one JSON
// object per pair with the library's values (tokenized as TRL does), then a summary whose order statistics hold.
import AlignData
import AlignModels
import AlignTestSupport
import AlignTraining
import Foundation
import Testing
@testable import AlignCLI

@Suite struct DiagnoseCommandTests {
    let demo = FixturePaths.packageRoot.appendingPathComponent("Sources/AlignRecipes/Resources/Demo")
    var modelPath: String { demo.appendingPathComponent("model").path }
    var dataPath: String { demo.appendingPathComponent("heldout_preferences.jsonl").path }

    func objects(_ text: String) throws -> [[String: Double]] {
        try text.split(separator: "\n").map { line in
            let any = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            return any.compactMapValues { ($0 as? NSNumber)?.doubleValue }
        }
    }

    @Test func chesPerPairEqualsTheLibraryOnTokenizedPairs() throws {
        let out = try objects(try DiagnoseCHESCommand.parse(["--model", modelPath, "--data", dataPath, "--limit", "3", "--json"]).output())
        #expect(out.count == 4)  // 3 pairs + summary
        let dir = URL(fileURLWithPath: modelPath)
        let pairs = try PreferenceTokenizer(directory: dir)
            .tokenize(Array(try PreferenceExample.load(URL(fileURLWithPath: dataPath)).prefix(3)), maxLength: nil, truncationMode: .keepStart)
        let model = try DecoderModel.load(directory: dir)
        for (i, pair) in pairs.examples.enumerated() {
            let s = try PreferenceDiagnostics.ches(model, pair)
            #expect(out[i]["pair"] == Double(i))
            // Same computation in another model instance: equal up to BLAS summation order.
            #expect(abs((out[i]["ln_ches"] ?? .nan) - s.lengthNormalized) <= 1e-6 * abs(s.lengthNormalized), "\(out[i]) vs \(s)")
            #expect(abs((out[i]["ches"] ?? .nan) - s.ches) <= 1e-6 * abs(s.ches))
        }
        let summary = out[3]
        let lns = out.prefix(3).compactMap { $0["ln_ches"] }
        #expect(summary["max"] == lns.max() && summary["min"] == lns.min())
        #expect(abs((summary["mean"] ?? 0) - lns.reduce(0, +) / 3) < 1e-12)
    }

    @Test func topKAndEntanglementReportTheirFields() throws {
        let topk = try objects(try DiagnoseTopKCommand.parse(["--model", modelPath, "--data", dataPath, "--limit", "2", "--k", "5", "--json"]).output())
        #expect(topk.count == 3)
        for o in topk.prefix(2) {
            let mass = o["topk_mass_chosen"] ?? -1, entropy = o["topk_entropy_chosen"] ?? -1
            #expect(mass > 0 && mass <= 1 && entropy >= 0 && entropy <= log(5.0) + 1e-12)
        }
        let ent = try objects(try DiagnoseEntanglementCommand.parse(["--model", modelPath, "--data", dataPath, "--limit", "1", "--json"]).output())
        let o = ent[0]
        let (inner, a, b) = (o["inner"] ?? .nan, o["norm_chosen"] ?? .nan, o["norm_rejected"] ?? .nan)
        #expect(abs((o["cosine"] ?? .nan) - inner / (a * b)) < 1e-12)
        #expect(abs((o["ratio"] ?? .nan) - inner / min(a * a, b * b)) < 1e-12)
    }

    @Test func badInputFailsClearly() {
        #expect(throws: (any Error).self) { try DiagnoseCHESCommand.parse(["--model", modelPath, "--data", dataPath, "--limit", "0"]) }
        #expect(throws: (any Error).self) {
            try DiagnoseCHESCommand.parse(["--model", modelPath, "--data", "/nonexistent.jsonl"]).output()
        }
    }
}
