// IFEvalData: reading IFEval's JSONL files — prompts (`input_data.jsonl`) and responses
// (`{"prompt", "response"}` lines, as `input_response_data_*.jsonl`).
//
// Mirrors google-research `evaluation_lib.py` (`read_prompt_list`, `read_prompt_to_response_dict`): responses are
// matched to prompts by the prompt text. A response line may instead carry its own `key`, `instruction_id_list`
// and `kwargs` (e.g. rows of the Hugging Face `google/IFEval` set with a `response` added); then no prompts file
// is needed. Errors name the file and line.
import Foundation

/// One IFEval prompt with its instructions.
public struct IFEvalPrompt: Decodable, Sendable {
    /// The prompt's id in the data set.
    public let key: Int
    /// The prompt text.
    public let prompt: String
    /// Instruction ids, parallel to `kwargs`.
    public let instructionIdList: [String]
    /// Kwargs per instruction.
    public let kwargs: [[String: IFEvalKwargValue]]

    enum CodingKeys: String, CodingKey {
        case key, prompt, kwargs
        case instructionIdList = "instruction_id_list"
    }

    /// A prompt built in code.
    public init(key: Int, prompt: String, instructionIdList: [String], kwargs: [[String: IFEvalKwargValue]]) {
        self.key = key
        self.prompt = prompt
        self.instructionIdList = instructionIdList
        self.kwargs = kwargs
    }
}

/// A prompt paired with the response to score.
public struct IFEvalItem: Sendable {
    /// The prompt and its instructions.
    public let prompt: IFEvalPrompt
    /// The response to score.
    public let response: String

    /// Pairs a prompt with a response.
    public init(prompt: IFEvalPrompt, response: String) {
        self.prompt = prompt
        self.response = response
    }
}

/// Readers for IFEval's JSONL files.
public enum IFEvalData {
    /// Reads `input_data.jsonl`-style prompts.
    public static func readPrompts(_ url: URL) throws -> [IFEvalPrompt] {
        try jsonLines(url).map { line, data in
            let p = try decode(IFEvalPrompt.self, data, url, line)
            guard p.kwargs.count == p.instructionIdList.count else {
                throw AlignEvalError.malformedLine(path: url.path, line: line,
                    reason: "kwargs has \(p.kwargs.count) entries but instruction_id_list has \(p.instructionIdList.count)")
            }
            return p
        }
    }

    private struct ResponseLine: Decodable {
        let prompt: String
        let response: String
    }

    /// Pairs the responses in `responses` with `prompts` (by prompt text), in prompt order. If a prompt has several
    /// response lines, the last one is used, as the reference's prompt → response dict does.
    /// - Throws: `.promptNotFound` for a response whose prompt is unknown, `.missingResponse` for a prompt without one.
    public static func readItems(responses: URL, prompts: [IFEvalPrompt]) throws -> [IFEvalItem] {
        let known = Set(prompts.map(\.prompt))
        var byPrompt: [String: String] = [:]
        for (line, data) in try jsonLines(responses) {
            let r = try decode(ResponseLine.self, data, responses, line)
            guard known.contains(r.prompt) else {
                throw AlignEvalError.promptNotFound(path: responses.path, line: line, promptPrefix: String(r.prompt.prefix(60)))
            }
            byPrompt[r.prompt] = r.response
        }
        return try prompts.map { p in
            guard let response = byPrompt[p.prompt] else { throw AlignEvalError.missingResponse(key: p.key) }
            return IFEvalItem(prompt: p, response: response)
        }
    }

    private struct SelfContainedLine: Decodable {
        let response: String
    }

    /// Reads response lines that carry their own `key`, `prompt`, `instruction_id_list` and `kwargs`.
    public static func readSelfContainedItems(_ url: URL) throws -> [IFEvalItem] {
        try jsonLines(url).map { line, data in
            let prompt = try decode(IFEvalPrompt.self, data, url, line)
            let r = try decode(SelfContainedLine.self, data, url, line)
            return IFEvalItem(prompt: prompt, response: r.response)
        }
    }

    /// Non-blank lines of a JSONL file with their 1-based line numbers.
    static func jsonLines(_ url: URL) throws -> [(Int, Data)] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw AlignEvalError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        var out: [(Int, Data)] = []
        var line = 0
        for piece in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            line += 1
            if piece.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            out.append((line, Data(piece)))
        }
        return out
    }

    static func decode<T: Decodable>(_ type: T.Type, _ data: Data, _ url: URL, _ line: Int) throws -> T {
        do { return try JSONDecoder().decode(T.self, from: data) } catch let DecodingError.keyNotFound(key, _) {
            throw AlignEvalError.malformedLine(path: url.path, line: line, reason: "missing field '\(key.stringValue)'")
        } catch let DecodingError.typeMismatch(_, ctx) {
            let path = ctx.codingPath.map(\.stringValue).joined(separator: ".")
            throw AlignEvalError.malformedLine(path: url.path, line: line, reason: "wrong type at '\(path)'")
        } catch {
            throw AlignEvalError.malformedLine(path: url.path, line: line, reason: "not a JSON object: \(error)")
        }
    }
}
