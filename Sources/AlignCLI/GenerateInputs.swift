// GenerateInputs: what `align generate` reads besides the model — the JSONL prompt file (one
// {"prompt": "..."} object per line, blank lines skipped) and the --reward specifications
// (keyword:a,b | exclude:a,b | length:MIN-MAX[:words|characters] | regex:PATTERN | json-schema:FILE; several are summed
// with weight 1 through WeightedSumReward). Errors name the file and line or the spec.
import ArgumentParser
import Foundation
import AlignDecoding

/// Reads prompt files.
enum PromptFile {
    /// The "prompt" strings of a JSONL file.
    static func read(path: String) throws -> [String] {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ValidationError("cannot read --file \(path): \(error.localizedDescription)")
        }
        var out: [String] = []
        for (i, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8))
            guard let dict = object as? [String: Any], let prompt = dict["prompt"] as? String else {
                throw ValidationError("\(path):\(i + 1): expected a JSON object with a string \"prompt\"")
            }
            out.append(prompt)
        }
        if out.isEmpty { throw ValidationError("\(path): no prompts") }
        return out
    }
}

/// Parses --reward specifications.
enum RewardSpec {
    /// One reward from all specs (their sum when there are several).
    static func parse(_ specs: [String]) throws -> any Reward {
        let rewards = try specs.map(parseOne)
        if rewards.count == 1 { return rewards[0] }
        return try WeightedSumReward(rewards.map { (reward: $0, weight: 1.0) })
    }

    /// `KIND:ARGUMENT`.
    static func parseOne(_ spec: String) throws -> any Reward {
        guard let colon = spec.firstIndex(of: ":") else {
            throw ValidationError("--reward \(spec): expected KIND:ARGUMENT (keyword, exclude, length, regex, json-schema)")
        }
        let kind = spec[..<colon], arg = String(spec[spec.index(after: colon)...])
        switch kind {
        case "keyword": return try KeywordReward(keywords: list(arg), mode: .include)
        case "exclude": return try KeywordReward(keywords: list(arg), mode: .exclude)
        case "regex": return try RegexReward(pattern: arg)
        case "length": return try length(arg, spec: spec)
        case "json-schema": return try jsonSchema(path: arg, spec: spec)
        default:
            throw ValidationError("--reward \(spec): unknown kind '\(kind)' (keyword, exclude, length, regex, json-schema)")
        }
    }

    static func list(_ arg: String) -> [String] {
        arg.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }

    /// `json-schema:FILE`: 1 if the completion is JSON valid under the schema in FILE.
    static func jsonSchema(path: String, spec: String) throws -> JSONSchemaReward {
        let text: String
        do { text = try String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8) } catch {
            throw ValidationError("--reward \(spec): cannot read schema file \(path): \(error.localizedDescription)")
        }
        return try JSONSchemaReward(schema: text)
    }

    /// `MIN-MAX[:words|characters]`.
    static func length(_ arg: String, spec: String) throws -> LengthReward {
        let parts = arg.split(separator: ":", maxSplits: 1).map(String.init)
        let bounds = (parts.first ?? "").split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard bounds.count == 2, let lo = bounds[0], let hi = bounds[1], lo <= hi else {
            throw ValidationError("--reward \(spec): expected length:MIN-MAX with MIN <= MAX")
        }
        let unit = parts.count > 1 ? LengthReward.Unit(rawValue: parts[1]) : .words
        guard let unit else { throw ValidationError("--reward \(spec): unit must be words or characters") }
        return try LengthReward(range: lo ... hi, unit: unit)
    }
}
