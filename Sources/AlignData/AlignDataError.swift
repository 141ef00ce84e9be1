// AlignDataError: every way a dataset file can be unusable, each naming the file and row (line for JSONL,
// element index for a JSON array) and what was expected, so a bad row fails before training starts.

/// Where a row came from: the file and its 1-based line (JSONL) or 0-based element index (JSON array).
public struct RowLocation: Equatable, Sendable, CustomStringConvertible {
    /// The dataset file's path as given.
    public var file: String
    /// 1-based line number for JSON Lines files; nil for JSON arrays.
    public var line: Int?
    /// 0-based row index in the file (element index for a JSON array).
    public var index: Int

    /// Creates a location.
    public init(file: String, line: Int?, index: Int) {
        self.file = file
        self.line = line
        self.index = index
    }

    /// `file:line`, or `file[index]` for a JSON array element.
    public var description: String { line.map { "\(file):\($0)" } ?? "\(file)[\(index)]" }
}

/// Errors of AlignData.
public enum AlignDataError: Error, Equatable, CustomStringConvertible {
    /// The file cannot be read or is not UTF-8.
    case unreadable(file: String, reason: String)
    /// The file holds no rows.
    case empty(file: String)
    /// A row is not usable: bad JSON, a missing or ill-typed column, an empty completion, ….
    case malformedRow(RowLocation, reason: String)
    /// A conversational row needs a chat template and the tokenizer has none.
    case noChatTemplate(RowLocation)
    /// The chat template failed on a row.
    case templateFailed(RowLocation, reason: String)
    /// A setting has a value AlignData cannot use.
    case invalidSetting(name: String, value: String, expected: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason): return "\(file): cannot read dataset: \(reason)"
        case let .empty(file): return "\(file): no rows"
        case let .malformedRow(loc, reason): return "\(loc): \(reason)"
        case let .noChatTemplate(loc):
            return "\(loc): conversational row, but the tokenizer has no chat_template (give one with --chat-template)"
        case let .templateFailed(loc, reason): return "\(loc): chat template failed: \(reason)"
        case let .invalidSetting(name, value, expected): return "\(name) = \(value): expected \(expected)"
        }
    }
}
