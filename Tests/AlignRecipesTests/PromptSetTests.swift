// PromptSet: ids (given, numeric, defaulted to p<line>), conversational lines through a chat template, and
// errors that name file:line.
import AlignTokenizers
@testable import AlignRecipes
import Foundation
import Testing

@Suite struct PromptSetTests {
    func file(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("prompts-\(UUID().uuidString).jsonl")
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test func readsIDsAndDefaults() throws {
        let url = try file("{\"id\": \"a\", \"prompt\": \"x\"}\n\n{\"prompt\": \"y\"}\n{\"id\": 7, \"prompt\": \"z\"}\n")
        #expect(try PromptSet.read(url) == [RecipePrompt(id: "a", text: "x"), RecipePrompt(id: "p3", text: "y"), RecipePrompt(id: "7", text: "z")])
    }

    @Test func rendersMessagesWithTheTemplate() throws {
        let template = try ChatTemplate(source: "{% for m in messages %}<{{ m['role'] }}>{{ m['content'] }}{% endfor %}{% if add_generation_prompt %}<assistant>{% endif %}")
        let url = try file("{\"id\": \"c\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}\n")
        #expect(try PromptSet.read(url, template: template) == [RecipePrompt(id: "c", text: "<user>hi<assistant>")])
    }

    @Test func errorsNameFileAndLine() throws {
        let dup = try file("{\"id\": \"a\", \"prompt\": \"x\"}\n{\"id\": \"a\", \"prompt\": \"y\"}\n")
        #expect(throws: AlignRecipesError.malformedLine(path: dup.path, line: 2, reason: "duplicate id \"a\"")) { _ = try PromptSet.read(dup) }
        let noText = try file("{\"id\": \"a\"}\n")
        #expect(throws: AlignRecipesError.malformedLine(path: noText.path, line: 1, reason: "expected a string \"prompt\" or a \"messages\" list")) {
            _ = try PromptSet.read(noText)
        }
        let chat = try file("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}\n")
        #expect(throws: AlignRecipesError.malformedLine(path: chat.path, line: 1, reason: "\"messages\" needs a model with a chat template")) {
            _ = try PromptSet.read(chat)
        }
        let empty = try file("\n\n")
        #expect(throws: AlignRecipesError.empty(path: empty.path, what: "prompts")) { _ = try PromptSet.read(empty) }
    }
}
