// ChatTemplate: the public entry point — compile a tokenizer_config.json `chat_template` once, render
// conversations with it exactly as transformers' `apply_chat_template(tokenize=False)` does
// (transformers 5.23 `tokenization_utils_base.py` + `utils/chat_template_utils.py`): message keys whose
// value is null are dropped, `reasoning_content`/`thinking`/`reasoning` are aliased to each other, and the
// template sees `messages`, `tools` (none when absent), `documents` (none), `add_generation_prompt`, the
// special tokens, the extra variables, and the globals `raise_exception`, `strftime_now`, `namespace`,
// `dict`, `range`. `continue_final_message` is in ChatTemplate+Continue.swift; assistant masks come back
// as character spans (renderWithAssistantSpans). Left out: a `documents` input (always none), batches.

/// A compiled chat template.
///
/// ```swift
/// var template = try ChatTemplate(source: "{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}")
/// template.specialTokens = ["eos_token": "</s>"]
/// let prompt = try template.render(messages: [["role": "user", "content": "Hi"]], addGenerationPrompt: true)
/// ```
///
/// Safe to share across threads: the parsed tree is immutable after `init`, and every render builds its own
/// scopes and output (hence `@unchecked`: the tree's node classes are never mutated).
public struct ChatTemplate: @unchecked Sendable {
    /// The template text as given.
    public let source: String
    /// Special tokens passed to the template by name (`bos_token`, `eos_token`, …), as transformers passes
    /// `tokenizer.special_tokens_map`.
    public var specialTokens: [String: String] = [:]
    /// The instant `strftime_now` formats; nil means the current local time.
    public var fixedDate: TemplateDate?

    private let nodes: [JinjaNode]

    /// Compiles a template.
    /// - Throws: `ChatTemplateError.syntax` / `.unsupported` with the line and column of the problem.
    public init(source: String) throws {
        self.source = source
        var lexer = JinjaLexer(source)
        var parser = JinjaParser(tokens: try lexer.tokenize())
        nodes = try parser.parseTemplate()
    }

    /// Renders a conversation.
    /// - Parameters:
    ///   - messages: chat messages (objects with `role`, `content`, optionally `tool_calls`, `reasoning_content` …).
    ///   - tools: JSON-schema tool definitions, or nil for none.
    ///   - addGenerationPrompt: append the header that starts an assistant turn.
    ///   - extra: more template variables (`enable_thinking`, `date_string`, …); they override special tokens.
    /// - Returns: the prompt text.
    /// - Throws: `ChatTemplateError.raised` when the template calls `raise_exception`, `.runtime` on a render error.
    public func render(messages: [ChatJSON], tools: [ChatJSON]? = nil, addGenerationPrompt: Bool = false,
                       extra: [String: ChatJSON] = [:]) throws -> String
    {
        try renderTracked(messages: messages, tools: tools, addGenerationPrompt: addGenerationPrompt, extra: extra).text
    }

    /// Renders a conversation and reports where the template's `{% generation %}` blocks (the assistant
    /// output, in templates made for assistant-only loss such as TRL's `*_training.jinja`) landed, as
    /// transformers' `return_assistant_tokens_mask` tracks them before tokenizing.
    /// - Returns: the prompt and the `[start, end)` offsets of each generation block, counted in Unicode
    ///   scalars (Python string indices); empty when the template has no generation blocks.
    public func renderWithAssistantSpans(messages: [ChatJSON], tools: [ChatJSON]? = nil,
                                         addGenerationPrompt: Bool = false,
                                         extra: [String: ChatJSON] = [:]) throws -> (text: String, assistantSpans: [Range<Int>])
    {
        let (text, spans) = try renderTracked(messages: messages, tools: tools, addGenerationPrompt: addGenerationPrompt,
                                              extra: extra)
        return (text, spans)
    }

    private func renderTracked(messages: [ChatJSON], tools: [ChatJSON]?, addGenerationPrompt: Bool,
                               extra: [String: ChatJSON]) throws -> (text: String, spans: [Range<Int>])
    {
        let interpreter = JinjaInterpreter(now: fixedDate ?? TemplateDate.now())
        let globals = JinjaScope(parent: nil)
        globals.vars = Self.builtins(interpreter)
        let scope = JinjaScope(parent: globals)
        for (name, token) in specialTokens { scope.vars[name] = .string(token) }
        scope.vars["messages"] = .array(messages.map { JinjaValue(Self.normalized($0)) })
        scope.vars["tools"] = tools.map { .array($0.map(JinjaValue.init)) } ?? JinjaValue.none
        scope.vars["documents"] = JinjaValue.none
        scope.vars["add_generation_prompt"] = .bool(addGenerationPrompt)
        for (name, value) in extra { scope.vars[name] = JinjaValue(value) }
        var out = ""
        _ = try interpreter.execute(nodes, scope: scope, out: &out)
        return (out, interpreter.state.generationSpans)
    }

    /// transformers drops null-valued message keys and aliases the reasoning fields
    /// (`{"thinking": r, **message, "reasoning_content": r}`).
    static func normalized(_ message: ChatJSON) -> ChatJSON {
        guard case .object(let pairs) = message else { return message }
        var kept = pairs.filter { $0.1 != .null }
        let reasoning = ["reasoning_content", "thinking", "reasoning"].lazy
            .compactMap { key in kept.first(where: { $0.0 == key })?.1 }.first
        guard let reasoning else { return .object(kept) }
        kept.removeAll { $0.0 == "thinking" }
        kept.insert(("thinking", reasoning), at: 0)
        if let at = kept.firstIndex(where: { $0.0 == "reasoning_content" }) {
            kept[at].1 = reasoning
        } else {
            kept.append(("reasoning_content", reasoning))
        }
        return .object(kept)
    }

    private static func builtins(_ interpreter: JinjaInterpreter) -> [String: JinjaValue] {
        var vars: [String: JinjaValue] = [:]
        vars["raise_exception"] = .callable(JinjaCallable(name: "raise_exception") { args, _ in
            throw ChatTemplateError.raised(message: args.first?.outputString ?? "")
        })
        vars["strftime_now"] = .callable(JinjaCallable(name: "strftime_now") { args, _ in
            .string(interpreter.now.format(args.first?.outputString ?? ""))
        })
        vars["namespace"] = .callable(JinjaCallable(name: "namespace") { args, kwargs in
            var attributes = JinjaObject()
            if case .object(let o)? = args.first { attributes = o }
            for (k, v) in kwargs { attributes[k] = v }
            return .namespace(JinjaNamespace(attributes))
        })
        vars["dict"] = .callable(JinjaCallable(name: "dict") { args, kwargs in
            var o = JinjaObject()
            if case .object(let base)? = args.first { o = base }
            for (k, v) in kwargs { o[k] = v }
            return .object(o)
        })
        vars["range"] = .callable(JinjaCallable(name: "range") { args, _ in
            let ints = args.compactMap { if case .int(let i) = $0 { return i } else { return nil } }
            let (start, stop, step) = ints.count == 1 ? (0, ints[0], 1)
                : (ints.first ?? 0, ints.count > 1 ? ints[1] : 0, ints.count > 2 ? ints[2] : 1)
            guard step != 0 else { throw JinjaCallError(message: "range() arg 3 must not be zero") }
            guard (Double(stop) - Double(start)) / Double(step) <= Double(1 << 24) else {
                throw JinjaCallError(message: "range() of more than 16 Mi items is not supported")
            }
            return .array(Swift.stride(from: start, to: stop, by: step).map { .int($0) })
        })
        return vars
    }
}
