// `align tokenize`: encodes text with a tokenizer.json and prints ids, tokens and character offsets
// (with --json: {"ids": [...], "tokens": [...], "offsets": [[start, end], ...]}, as Python's tokenizers reports
// them). Only parses, calls AlignTokenizers and prints.
import ArgumentParser
import Foundation
import AlignTokenizers

/// `align tokenize --tokenizer PATH (--text S | --file F | stdin) [--json]`.
public struct TokenizeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "tokenize", abstract: "Encode text with a tokenizer.json: ids, tokens and character offsets.")

    @Option(help: "tokenizer.json, or a model folder holding one.")
    var tokenizer: String

    @Option(help: "The text to encode (default: read --file, else stdin).")
    var text: String?

    @Option(help: "A UTF-8 file whose content is encoded.")
    var file: String?

    @Flag(inversion: .prefixedNo, help: "Add the post-processor's special tokens (default: yes, as tokenizers).")
    var addSpecialTokens: Bool = true

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    public init() {}

    public func validate() throws {
        if text != nil && file != nil { throw ValidationError("give --text or --file, not both") }
    }

    public func run() throws {
        let tok = try Tokenizer(contentsOf: URL(fileURLWithPath: tokenizer))
        let input = try readInput()
        let enc = tok.encode(input, addSpecialTokens: addSpecialTokens)
        print(json ? Self.jsonLine(enc) : Self.table(enc))
    }

    func readInput() throws -> String {
        if let text { return text }
        let data: Data
        if let file {
            do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
                throw ValidationError("cannot read --file \(file): \(error.localizedDescription)")
            }
        } else {
            data = FileHandle.standardInput.readDataToEndOfFile()
        }
        return String(decoding: data, as: UTF8.self)
    }


    /// `{"ids": [...], "tokens": [...], "offsets": [[s, e], ...]}` in that key order.
    static func jsonLine(_ e: Encoding) -> String {
        let ids = e.ids.map(String.init).joined(separator: ", ")
        let toks = e.tokens.map(jsonQuoted).joined(separator: ", ")
        let offs = e.offsets.map { "[\($0.0), \($0.1)]" }.joined(separator: ", ")
        return "{\"ids\": [\(ids)], \"tokens\": [\(toks)], \"offsets\": [\(offs)]}"
    }

    static func table(_ e: Encoding) -> String {
        var lines = ["index\tid\ttoken\toffsets"]
        for i in e.ids.indices {
            lines.append("\(i)\t\(e.ids[i])\t\(jsonQuoted(e.tokens[i]))\t[\(e.offsets[i].0), \(e.offsets[i].1))")
        }
        lines.append("\(e.ids.count) tokens")
        return lines.joined(separator: "\n")
    }
}
