// PromptSet: the prompts a pipeline samples from — JSONL lines {"id": "...", "prompt": "..."} (the id is
// optional and defaults to "p<line>"), or {"messages": [...]} rendered with the model's chat template
// (add_generation_prompt), as TRL's prompt-only datasets allow. Blank lines are skipped; every other
// malformed line is an error naming file:line.
import AlignTokenizers
import Foundation

/// One prompt: its id (for constraint specs and reports) and its text as the model sees it.
public struct RecipePrompt: Sendable, Equatable {
    public var id: String
    public var text: String

    public init(id: String, text: String) { (self.id, self.text) = (id, text) }
}

/// Reads prompt files.
public enum PromptSet {
    /// The prompts of `url`; `template` renders conversational lines (nil: such lines are an error).
    public static func read(_ url: URL, template: ChatTemplate? = nil) throws -> [RecipePrompt] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw AlignRecipesError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        var out: [RecipePrompt] = [], seen: Set<String> = []
        for (i, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let prompt = try parse(trimmed, line: i + 1, url: url, template: template)
            guard seen.insert(prompt.id).inserted else {
                throw AlignRecipesError.malformedLine(path: url.path, line: i + 1, reason: "duplicate id \"\(prompt.id)\"")
            }
            out.append(prompt)
        }
        if out.isEmpty { throw AlignRecipesError.empty(path: url.path, what: "prompts") }
        return out
    }

    static func parse(_ line: String, line n: Int, url: URL, template: ChatTemplate?) throws -> RecipePrompt {
        func bad(_ reason: String) -> AlignRecipesError { .malformedLine(path: url.path, line: n, reason: reason) }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            throw bad("expected a JSON object")
        }
        let id: String
        switch object["id"] {
        case nil: id = "p\(n)"
        case let s as String: id = s
        case let v as NSNumber: id = v.stringValue
        default: throw bad("\"id\" must be a string or a number")
        }
        if let text = object["prompt"] as? String { return RecipePrompt(id: id, text: text) }
        guard let messages = object["messages"] as? [[String: Any]] else {
            throw bad("expected a string \"prompt\" or a \"messages\" list")
        }
        guard let template else { throw bad("\"messages\" needs a model with a chat template") }
        let turns: [ChatJSON] = try messages.map { m in
            guard let role = m["role"] as? String, let content = m["content"] as? String else {
                throw bad("each message needs string \"role\" and \"content\"")
            }
            return ["role": .string(role), "content": .string(content)]
        }
        do { return RecipePrompt(id: id, text: try template.render(messages: turns, addGenerationPrompt: true)) } catch {
            throw bad("chat template: \(error)")
        }
    }
}
