// DatasetFile: reads a dataset file into located raw rows, as Hugging Face `datasets`' json loader accepts
// them: JSON Lines (one object per line; blank lines are not rows), or a JSON document holding an array of
// objects. Objects keep their key order (ChatJSON), which chat templates can observe through `tojson`.
import AlignTokenizers
import Foundation

/// One raw row: where it is and its JSON object (key/value pairs in document order).
public struct RawRow: Sendable {
    /// The row's location for error messages.
    public var location: RowLocation
    /// The row's columns.
    public var columns: [(String, ChatJSON)]
}

/// Reading JSON / JSONL dataset files.
public enum DatasetFile {
    /// Reads every row of `url`. A `.json` file whose first non-space character is `[` is one JSON array;
    /// anything else is read as JSON Lines.
    /// - Throws: `AlignDataError` naming the file and line of the first row that is not a JSON object.
    public static func rows(of url: URL) throws -> [RawRow] {
        let file = url.path
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw AlignDataError.unreadable(file: file, reason: error.localizedDescription) }
        guard let text = String(data: data, encoding: .utf8) else { throw AlignDataError.unreadable(file: file, reason: "not UTF-8") }
        let rows = text.first(where: { !$0.isWhitespace }) == "[" ? try arrayRows(text, file: file) : try lineRows(text, file: file)
        guard !rows.isEmpty else { throw AlignDataError.empty(file: file) }
        return rows
    }

    static func lineRows(_ text: String, file: String) throws -> [RawRow] {
        var rows: [RawRow] = []
        // Split on "\n" only (a "\r" before it is JSON whitespace); lines are counted 1-based.
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.allSatisfy(\.isWhitespace) { continue }
            let loc = RowLocation(file: file, line: n + 1, index: rows.count)
            rows.append(RawRow(location: loc, columns: try object(String(line), at: loc)))
        }
        return rows
    }

    static func arrayRows(_ text: String, file: String) throws -> [RawRow] {
        let value: ChatJSON
        do { value = try ChatJSON.parse(text) } catch {
            throw AlignDataError.malformedRow(RowLocation(file: file, line: nil, index: 0), reason: "invalid JSON: \(error)")
        }
        guard case let .array(items) = value else {
            throw AlignDataError.malformedRow(RowLocation(file: file, line: nil, index: 0), reason: "expected a JSON array of objects")
        }
        return try items.enumerated().map { i, item in
            let loc = RowLocation(file: file, line: nil, index: i)
            guard case let .object(cols) = item else { throw AlignDataError.malformedRow(loc, reason: "expected a JSON object, found \(kind(item))") }
            return RawRow(location: loc, columns: cols)
        }
    }

    static func object(_ line: String, at loc: RowLocation) throws -> [(String, ChatJSON)] {
        let value: ChatJSON
        do { value = try ChatJSON.parse(line) } catch { throw AlignDataError.malformedRow(loc, reason: "invalid JSON: \(error)") }
        guard case let .object(cols) = value else { throw AlignDataError.malformedRow(loc, reason: "expected a JSON object, found \(kind(value))") }
        return cols
    }

    /// The JSON type name of a value, for messages.
    static func kind(_ v: ChatJSON) -> String {
        switch v {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
