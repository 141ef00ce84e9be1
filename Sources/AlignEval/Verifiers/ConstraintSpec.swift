// ConstraintSpec: a declarative verifier spec (JSON) composing constraints per prompt, and the responses to check.
//
//   {"constraints": [<applied to every prompt>],
//    "prompts": [{"id": "q1", "input": "<source text, optional>", "constraints": [{"type": "word_count", "max": 50}, …]}]}
//
// Responses are JSONL lines {"id": "q1", "response": "…"}; a prompt may have several (samples), which
// cross-response constraints judge together. Constraint types and arguments: Docs/ifeval.md, "Constraint verifiers".
import Foundation

/// One prompt of a spec with its built constraints.
public struct PromptConstraints: Sendable {
    /// The prompt id responses refer to.
    public let id: String
    /// The prompt's input (source text), empty if none.
    public let input: String
    /// Spec-wide constraints first, then the prompt's own.
    public let constraints: [Constraint]
}

/// A parsed and validated spec.
public struct ConstraintSpec: Sendable {
    /// The prompts, in spec order.
    public let prompts: [PromptConstraints]

    private struct Raw: Decodable {
        struct Prompt: Decodable {
            let id: String
            let input: String?
            let constraints: [[String: JSONValue]]?
        }
        let constraints: [[String: JSONValue]]?
        let prompts: [Prompt]
    }

    /// Parses a spec; every constraint is built (so bad arguments fail here, naming prompt and type).
    public init(json: Data, path: String = "spec", tools: IFEvalTools) throws {
        let raw: Raw
        do { raw = try JSONDecoder().decode(Raw.self, from: json) } catch {
            throw AlignEvalError.malformedLine(path: path, line: 1, reason: "not a constraint spec: \(error)")
        }
        var seen: Set<String> = []
        prompts = try raw.prompts.map { p in
            guard seen.insert(p.id).inserted else {
                throw AlignEvalError.invalidConstraint(prompt: p.id, type: "-", reason: "duplicate prompt id")
            }
            let objects = (raw.constraints ?? []) + (p.constraints ?? [])
            guard !objects.isEmpty else {
                throw AlignEvalError.invalidConstraint(prompt: p.id, type: "-", reason: "no constraints")
            }
            return PromptConstraints(id: p.id, input: p.input ?? "",
                                     constraints: try objects.map { try Constraint(prompt: p.id, object: $0, tools: tools) })
        }
    }

    /// Reads a spec file.
    public init(url: URL, tools: IFEvalTools) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw AlignEvalError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        try self.init(json: data, path: url.path, tools: tools)
    }

    private struct ResponseLine: Decodable { let id: String; let response: String }

    /// Reads `{"id", "response"}` JSONL lines, in file order.
    public static func readResponses(_ url: URL) throws -> [(id: String, response: String)] {
        try IFEvalData.jsonLines(url).map { line, data in
            let r = try IFEvalData.decode(ResponseLine.self, data, url, line)
            return (r.id, r.response)
        }
    }
}
