// AlignEvalError: the one error type of AlignEval. Every case names the file, line, key or
// instruction that was wrong and what was expected, so the CLI can print it as is.

/// Errors thrown by AlignEval on bad input files, kwargs or resources.
public enum AlignEvalError: Error, CustomStringConvertible, Equatable {
    /// A file could not be read.
    case unreadableFile(path: String, reason: String)
    /// A JSON/JSONL line did not parse or lacked a field.
    case malformedLine(path: String, line: Int, reason: String)
    /// An instruction id that IFEval does not register.
    case unknownInstruction(key: Int, id: String)
    /// A kwarg is missing or has the wrong type or value.
    case invalidKwarg(key: Int, id: String, kwarg: String, expected: String)
    /// A response's prompt has no entry in the prompts file.
    case promptNotFound(path: String, line: Int, promptPrefix: String)
    /// A prompt of the prompts file has no response.
    case missingResponse(key: Int)
    /// A bundled resource (Punkt parameters, langdetect profiles) is missing or malformed.
    case badResource(name: String, reason: String)
    /// A judgment file for win rates is malformed.
    case badJudgment(path: String, index: Int, reason: String)
    /// A constraint in a verifier spec is unknown or has bad arguments.
    case invalidConstraint(prompt: String, type: String, reason: String)
    /// Two inputs of a metric (log-probs, logits, masks, scores) do not have matching shapes.
    case shapeMismatch(what: String, expected: String, got: String)
    /// A command-line or metric argument is out of range or missing.
    case invalidArgument(name: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadableFile(path, reason): return "\(path): cannot read: \(reason)"
        case let .malformedLine(path, line, reason): return "\(path):\(line): \(reason)"
        case let .unknownInstruction(key, id): return "prompt \(key): unknown IFEval instruction id '\(id)'"
        case let .invalidKwarg(key, id, kwarg, expected):
            return "prompt \(key), instruction \(id): kwarg '\(kwarg)' must be \(expected)"
        case let .promptNotFound(path, line, prefix):
            return "\(path):\(line): prompt not found in the prompts file: \"\(prefix)…\""
        case let .missingResponse(key): return "prompt \(key) has no response in the responses file"
        case let .badResource(name, reason): return "bundled resource \(name): \(reason)"
        case let .badJudgment(path, index, reason): return "\(path): judgment \(index): \(reason)"
        case let .invalidConstraint(prompt, type, reason): return "prompt '\(prompt)', constraint '\(type)': \(reason)"
        case let .shapeMismatch(what, expected, got): return "\(what): expected \(expected), got \(got)"
        case let .invalidArgument(name, reason): return "\(name): \(reason)"
        }
    }
}
