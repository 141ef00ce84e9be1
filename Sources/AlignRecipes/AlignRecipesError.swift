// AlignRecipesError: the one error type of AlignRecipes (the end-to-end pipelines: the demo and the
// verify → pair → train loop). Each case names the file, line or setting and what was expected.

/// Errors thrown by the AlignRecipes pipelines on bad input or missing resources.
public enum AlignRecipesError: Error, CustomStringConvertible, Equatable {
    /// A file could not be read or written.
    case unreadableFile(path: String, reason: String)
    /// A JSONL line is not what the reader expects.
    case malformedLine(path: String, line: Int, reason: String)
    /// A file holds no usable rows.
    case empty(path: String, what: String)
    /// A bundled resource of the demo is missing.
    case missingResource(name: String)
    /// A setting is out of range.
    case invalidSetting(name: String, value: String, expected: String)
    /// A report could not be written.
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadableFile(path, reason): return "cannot read \(path): \(reason)"
        case let .malformedLine(path, line, reason): return "\(path):\(line): \(reason)"
        case let .empty(path, what): return "\(path): no \(what)"
        case let .missingResource(name): return "bundled resource \(name) is missing from this build of AlignKit"
        case let .invalidSetting(name, value, expected): return "\(name) = \(value): expected \(expected)"
        case let .writeFailed(path, reason): return "cannot write \(path): \(reason)"
        }
    }
}
