// ConstraintScoring: the "verify" and "pair" steps of ACT (Wang et al. 2024, arXiv 2403.06326, §3):
// every sampled response gets its constraint satisfaction rate CSR = satisfied / applicable constraints
// (AlignEval's verifiers), and each prompt whose samples disagree yields a preference pair — the highest-CSR
// response as chosen, the lowest as rejected (ACT builds pairs from CSR-ranked samples; the first sample
// wins ties, so the choice is deterministic). Prompts whose samples all score the same carry no preference
// and give no pair.
import AlignEval
import Foundation

/// Samples with their CSR.
public struct ScoredSamples: Sendable {
    public var samples: PromptSamples
    /// CSR of each response, in sample order.
    public var csr: [Double]
}

/// Verifies samples against a constraint spec and pairs them.
public struct ConstraintScoring {
    /// The spec, extended so every prompt id it may see has an entry.
    public let spec: ConstraintSpec

    /// A spec from `url` in which prompts the file does not list get the spec-wide constraints.
    /// - Throws: `AlignRecipesError.unreadableFile`, or AlignEval's spec errors.
    public init(specURL url: URL, promptIDs: [String], tools: IFEvalTools) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw AlignRecipesError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        spec = try ConstraintSpec(json: try Self.covering(data, promptIDs: promptIDs, path: url.path), path: url.path, tools: tools)
    }

    /// The spec JSON with an empty entry `{"id": …}` appended for each id it lacks.
    static func covering(_ data: Data, promptIDs: [String], path: String) throws -> Data {
        guard var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw AlignRecipesError.malformedLine(path: path, line: 1, reason: "expected a JSON object (a constraint spec)")
        }
        var prompts = object["prompts"] as? [[String: Any]] ?? []
        let listed = Set(prompts.compactMap { $0["id"] as? String })
        prompts += promptIDs.filter { !listed.contains($0) }.map { ["id": $0] }
        object["prompts"] = prompts
        do { return try JSONSerialization.data(withJSONObject: object) } catch {
            throw AlignRecipesError.malformedLine(path: path, line: 1, reason: "\(error)")
        }
    }

    /// CSR of every sample (responses are judged with surrounding whitespace removed).
    public func score(_ samples: [PromptSamples]) throws -> [ScoredSamples] {
        let flat = samples.flatMap { s in s.responses.map { (id: s.prompt.id, response: Self.clean($0)) } }
        let report = try ConstraintEvaluator.evaluate(spec, responses: flat)
        var i = 0
        return samples.map { s in
            defer { i += s.responses.count }
            return ScoredSamples(samples: s, csr: report.results[i ..< i + s.responses.count].map(\.csr))
        }
    }

    /// Mean CSR over all samples, and the fraction of samples satisfying every constraint.
    public static func summary(_ scored: [ScoredSamples]) -> (meanCSR: Double, allSatisfied: Double) {
        let all = scored.flatMap(\.csr)
        guard !all.isEmpty else { return (0, 0) }
        return (all.reduce(0, +) / Double(all.count), Double(all.filter { $0 == 1 }.count) / Double(all.count))
    }

    /// One pair per prompt whose samples' CSR differ: (argmax CSR, argmin CSR), first sample on ties.
    public static func pairs(_ scored: [ScoredSamples]) -> [PreferencePair] {
        scored.compactMap { s in
            guard let top = s.csr.max(), let bottom = s.csr.min(), top > bottom,
                  let hi = s.csr.firstIndex(of: top), let lo = s.csr.firstIndex(of: bottom) else { return nil }
            return PreferencePair(prompt: s.samples.prompt.text, chosen: s.samples.responses[hi], rejected: s.samples.responses[lo])
        }
    }

    static func clean(_ s: String) -> String { s.trimmingCharacters(in: .whitespacesAndNewlines) }
}
