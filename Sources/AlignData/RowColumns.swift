// RowColumns: typed access to one raw row's columns. A column is text (a JSON string) or a conversation
// (a non-empty array of objects each with a string `role` and a string `content`, TRL's conversational
// format); anything else is an error naming the row, the column and what was found.
import AlignTokenizers

/// A text or conversational column value.
public enum TurnContent: Equatable, Sendable {
    /// Standard (non-chat) text.
    case text(String)
    /// Chat messages, each an object with at least `role` and `content`, kept as given for the template.
    case messages([ChatJSON])

    /// True for a conversation.
    public var isConversational: Bool { if case .messages = self { return true } else { return false } }
}

struct RowColumns {
    let row: RawRow

    var location: RowLocation { row.location }

    func has(_ key: String) -> Bool { row.columns.contains { $0.0 == key } }

    func value(_ key: String) -> ChatJSON? { row.columns.last { $0.0 == key }?.1 }

    func fail(_ reason: String) -> AlignDataError { .malformedRow(location, reason: reason) }

    /// The column as text or messages; `allowEmpty` permits "" / [] (an implicit prompt may be empty).
    func content(_ key: String, allowEmpty: Bool = false) throws -> TurnContent {
        guard let v = value(key) else { throw fail("missing column '\(key)'") }
        switch v {
        case .string(let s):
            if s.isEmpty && !allowEmpty { throw fail("column '\(key)' is an empty string") }
            return .text(s)
        case .array(let items):
            if items.isEmpty && !allowEmpty { throw fail("column '\(key)' is an empty message list") }
            for (i, m) in items.enumerated() { try checkMessage(m, key: key, index: i) }
            return .messages(items)
        default:
            throw fail("column '\(key)' must be a string or a list of {role, content} messages, found \(DatasetFile.kind(v))")
        }
    }

    func checkMessage(_ m: ChatJSON, key: String, index i: Int) throws {
        guard case .object = m else { throw fail("column '\(key)' message \(i) must be an object, found \(DatasetFile.kind(m))") }
        guard case .string = m["role"] ?? .null else { throw fail("column '\(key)' message \(i) needs a string 'role'") }
        guard case .string = m["content"] ?? .null else { throw fail("column '\(key)' message \(i) needs a string 'content'") }
    }

    func text(_ key: String) throws -> String {
        guard let v = value(key) else { throw fail("missing column '\(key)'") }
        guard case .string(let s) = v else { throw fail("column '\(key)' must be a string, found \(DatasetFile.kind(v))") }
        if s.isEmpty { throw fail("column '\(key)' is an empty string") }
        return s
    }

    func bool(_ key: String) throws -> Bool {
        guard let v = value(key) else { throw fail("missing column '\(key)'") }
        guard case .bool(let b) = v else { throw fail("column '\(key)' must be true or false, found \(DatasetFile.kind(v))") }
        return b
    }
}
