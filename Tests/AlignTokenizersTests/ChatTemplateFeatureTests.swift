// Parity with jinja2 under transformers' environment, one small template per construct: every case in
// Tests/Fixtures/chat-templates/features.json (from scripts/fixtures/chat_template_features.py via
// make_chat_template_fixtures.py) must render identically, or fail where jinja2 fails — with the same
// message for raise_exception, and as a syntax error where jinja2 reports one. The random cases come from a
// seeded grammar (scripts/fixtures/chat_template_random.py), kept where jinja2's constant folding does not matter.
import Foundation
import Testing
import AlignTestSupport
@testable import AlignTokenizers

@Suite("Jinja constructs match jinja2")
struct ChatTemplateFeatureTests {
    /// Returns nil when the case matches, else what differs.
    static func check(_ c: ChatJSON, sharedVariables: ChatJSON?) -> String? {
        let name = c["name"]?.stringValue ?? "?"
        guard let source = c["template"]?.stringValue else { return "\(name): no template" }
        var extra: [String: ChatJSON] = [:]
        if case .object(let pairs)? = c["variables"] ?? sharedVariables { for (k, v) in pairs { extra[k] = v } }
        do {
            var template = try ChatTemplate(source: source)
            template.fixedDate = ChatTemplateFixtureTests.fixedDate
            let out = try template.render(messages: [], extra: extra)
            guard let expected = c["expected"]?.stringValue else { return "\(name): rendered \(out.debugDescription) but jinja2 failed" }
            return out == expected ? nil : "\(name): got \(out.debugDescription), expected \(expected.debugDescription)"
        } catch let error as ChatTemplateError {
            switch error {
            case .syntax where c["syntax_error"] != nil: return nil
            case .raised(let message) where c["error_type"] == "TemplateError" && c["error"]?.stringValue == message:
                return nil
            case .runtime where c["error_type"] != nil && c["error_type"] != "TemplateError": return nil
            default: return "\(name): threw \(error); jinja2 gave \(c["expected"] ?? c["error"] ?? c["syntax_error"] ?? .null)"
            }
        } catch {
            return "\(name): unexpected error \(error)"
        }
    }

    @Test("every construct case and ~3000 random templates render like jinja2 3.1.6 with transformers' settings")
    func allConstructs() throws {
        let text = try String(contentsOf: FixturePaths.fixture("chat-templates/features.json"), encoding: .utf8)
        let doc = try ChatJSON.parse(text)
        guard case .array(let cases)? = doc["cases"] else { Issue.record("no cases"); return }
        let failures = cases.compactMap { Self.check($0, sharedVariables: doc["random_variables"]) }
        let randomCount = cases.filter { $0["name"]?.stringValue?.hasPrefix("random_") == true }.count
        #expect(cases.count - randomCount == 113)
        #expect(randomCount > 2500)
        #expect(failures.isEmpty, "\(failures.count) of \(cases.count) differ:\n\(failures.prefix(40).joined(separator: "\n"))")
    }
}
