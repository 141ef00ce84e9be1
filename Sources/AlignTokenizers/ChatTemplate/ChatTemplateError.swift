// ChatTemplateError: every way loading, parsing or rendering a chat template can fail.
// Positions are 1-based line and column in the template source, as Jinja reports them. `raised` carries the
// message of a template's own `raise_exception(...)` call verbatim, as transformers surfaces jinja2's
// TemplateError. (Chat templates keep their own error enum beside the tokenizer pipeline's, so the two
// halves of AlignTokenizers can be built independently.)

/// A chat-template failure, with the template position (1-based line and column) where one applies.
public enum ChatTemplateError: Error, Equatable, CustomStringConvertible {
    /// The template text is not valid Jinja (unclosed block, bad token, unexpected end …).
    case syntax(message: String, line: Int, column: Int)
    /// Valid Jinja that this interpreter does not implement (e.g. `{% include %}`, an unknown filter).
    case unsupported(construct: String, line: Int, column: Int)
    /// An error while rendering (type error, undefined variable used where Jinja raises, …).
    case runtime(message: String, line: Int, column: Int)
    /// The template called `raise_exception(message)`.
    case raised(message: String)
    /// tokenizer_config.json (or a value passed in) is not what a chat template needs.
    case invalidConfig(String)
    /// The conversation cannot be rendered as asked (e.g. nothing to continue with `continueFinalMessage`).
    case invalidInput(String)

    public var description: String {
        switch self {
        case .syntax(let message, let line, let column):
            return "chat template syntax error at \(line):\(column): \(message)"
        case .unsupported(let construct, let line, let column):
            return "chat template uses unsupported \(construct) at \(line):\(column)"
        case .runtime(let message, let line, let column):
            return "chat template error at \(line):\(column): \(message)"
        case .raised(let message):
            return "chat template raised: \(message)"
        case .invalidConfig(let message):
            return "chat template config: \(message)"
        case .invalidInput(let message):
            return "chat template input: \(message)"
        }
    }
}

/// A position in the template source (1-based).
struct JinjaSourcePosition: Equatable {
    var line: Int
    var column: Int
}
