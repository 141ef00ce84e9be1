// Rendering a prompt that ends inside the last message ("prefill"), as transformers'
// `apply_chat_template(continue_final_message=...)` does (transformers 5.23 `render_jinja_template`): a marker
// is appended to the continued field (or to the last text block of list content), the conversation is
// rendered, and the text is cut at the marker — and right-stripped when the template trimmed the spacing
// after it.

extension ChatTemplate {
    private static let continueTag = "CONTINUE_FINAL_MESSAGE_TAG "
    private static let reasoningFields = ["reasoning_content", "thinking", "reasoning"]

    /// Renders the conversation so the model continues its last message instead of starting a new one.
    /// - Parameters:
    ///   - field: the field of the last message to continue: "content", or a reasoning field.
    /// - Throws: `ChatTemplateError.invalidInput` when there is nothing to continue, the template never reads
    ///   `field`, or the template drops the continued text; template errors as `render` does.
    public func render(messages: [ChatJSON], tools: [ChatJSON]? = nil, continuingFinalMessage field: String,
                       extra: [String: ChatJSON] = [:]) throws -> String
    {
        guard let last = messages.last else {
            throw ChatTemplateError.invalidInput("continue_final_message is set but the conversation is empty!")
        }
        var pairs: [(String, ChatJSON)] = []
        if case .object(let p) = Self.normalized(last) { pairs = p }
        guard let final = pairs.first(where: { $0.0 == field })?.1 else {
            throw ChatTemplateError.invalidInput("the final message has no \"\(field)\" to continue")
        }
        let fields = Self.reasoningFields.contains(field)
            ? Self.reasoningFields.filter { name in pairs.contains { $0.0 == name && $0.1 == final } } : [field]
        guard fields.contains(where: { source.contains($0) }) else {
            throw ChatTemplateError.invalidInput("\"\(field)\" is not a field the chat template reads")
        }
        let continued = try Self.markFinal(&pairs, fields: fields, final: final)
        var marked = messages
        marked[marked.count - 1] = .object(pairs)
        let rendered = try render(messages: marked, tools: tools, addGenerationPrompt: false, extra: extra)
        return try Self.cut(rendered, continuing: continued)
    }

    /// Appends the marker; returns the text being continued.
    private static func markFinal(_ pairs: inout [(String, ChatJSON)], fields: [String], final: ChatJSON) throws
        -> String
    {
        if case .array(var blocks) = final {
            guard let at = blocks.lastIndex(where: { $0["text"] != nil }), case .object(var block) = blocks[at],
                  let textAt = block.firstIndex(where: { $0.0 == "text" }), case .string(let text) = block[textAt].1
            else {
                throw ChatTemplateError.invalidInput("no text to continue in the final message")
            }
            block[textAt].1 = .string(text + continueTag)
            blocks[at] = .object(block)
            if let k = pairs.firstIndex(where: { $0.0 == fields[0] }) { pairs[k].1 = .array(blocks) }
            return text
        }
        guard case .string(let text) = final else {
            throw ChatTemplateError.invalidInput("the final message's \"\(fields[0])\" is not text")
        }
        for k in pairs.indices where fields.contains(pairs[k].0) { pairs[k].1 = .string(text + continueTag) }
        return text
    }

    private static func cut(_ rendered: String, continuing text: String) throws -> String {
        let stripped = JinjaPython.strip(text, chars: nil, leading: true, trailing: true)
        let tag = JinjaPython.strip(continueTag, chars: nil, leading: true, trailing: true)
        let scalars = Array(rendered.unicodeScalars), tagScalars = Array(tag.unicodeScalars)
        guard JinjaPython.scalarIndex(of: stripped, in: rendered) != nil, scalars.count >= tagScalars.count,
              let at = (0...(scalars.count - tagScalars.count)).last(where: {
                  scalars[$0..<($0 + tagScalars.count)].elementsEqual(tagScalars)
              })
        else {
            throw ChatTemplateError.invalidInput("the final message does not appear in the rendered chat")
        }
        let head = String(String.UnicodeScalarView(scalars[..<at]))
        let full = Array(continueTag.unicodeScalars)
        let keepsSpacing = at + full.count <= scalars.count && scalars[at..<(at + full.count)].elementsEqual(full)
        return keepsSpacing ? head : JinjaPython.strip(head, chars: nil, leading: false, trailing: true)
    }
}
