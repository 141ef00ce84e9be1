// Examples: TRL's dataset types (https://huggingface.co/docs/trl/dataset_formats) read from a file and
// validated row by row: paired preference {prompt?, chosen, rejected}, unpaired {prompt, completion, label}
// and SFT {text} | {prompt, completion} | {messages}. Text and conversational columns may not be mixed
// within a row. A row that does not fit fails with its file:line and the reason; nothing is skipped.
import Foundation

/// One paired preference example; the prompt is explicit or was extracted from the shared prefix.
public struct PreferenceExample: Equatable, Sendable {
    public var location: RowLocation
    public var prompt: TurnContent
    public var chosen: TurnContent
    public var rejected: TurnContent

    /// True when the columns are conversations (rendered with the chat template).
    public var isConversational: Bool { chosen.isConversational }

    /// Creates an example.
    public init(location: RowLocation, prompt: TurnContent, chosen: TurnContent, rejected: TurnContent) {
        self.location = location
        self.prompt = prompt
        self.chosen = chosen
        self.rejected = rejected
    }

    /// Loads a paired preference file. Without a `prompt` column the prompt is the implicit shared prefix
    /// (TRL's `extract_prompt`).
    /// As in a Hugging Face dataset, every row has the first row's layout: all text or all conversational,
    /// and all with or all without a `prompt` column (TRL decides both from the first example).
    public static func load(_ url: URL) throws -> [PreferenceExample] {
        let rows = try DatasetFile.rows(of: url).map(RowColumns.init)
        guard let first = rows.first else { return [] }
        let firstExample = try parse(first)
        return try [firstExample] + rows.dropFirst().map { row in
            if row.has("prompt") != first.has("prompt") {
                throw row.fail("the first row \(first.has("prompt") ? "has" : "has no") 'prompt' column and this one \(row.has("prompt") ? "has" : "has not")")
            }
            let ex = try parse(row)
            if ex.isConversational != firstExample.isConversational {
                throw row.fail("\(ex.isConversational ? "conversational" : "text") row in a \(firstExample.isConversational ? "conversational" : "text") dataset (the first row decides)")
            }
            return ex
        }
    }

    static func parse(_ row: RowColumns) throws -> PreferenceExample {
        let chosen = try row.content("chosen"), rejected = try row.content("rejected")
        guard chosen.isConversational == rejected.isConversational else {
            throw row.fail("'chosen' and 'rejected' must both be text or both be message lists")
        }
        if row.has("prompt") {
            let prompt = try row.content("prompt", allowEmpty: true)
            if prompt.isConversational != chosen.isConversational {
                throw row.fail("'prompt' must be \(chosen.isConversational ? "a message list" : "text") like 'chosen'")
            }
            return PreferenceExample(location: row.location, prompt: prompt, chosen: chosen, rejected: rejected)
        }
        let (p, c, r) = ImplicitPrompt.split(chosen: chosen, rejected: rejected)
        if c == .text("") || c == .messages([]) || r == .text("") || r == .messages([]) {
            throw row.fail("after removing the shared prompt, a completion is empty")
        }
        return PreferenceExample(location: row.location, prompt: p, chosen: c, rejected: r)
    }
}

/// One unpaired example (KTO/BCO): a completion labelled desirable (true) or undesirable (false).
public struct UnpairedExample: Equatable, Sendable {
    public var location: RowLocation
    public var prompt: TurnContent
    public var completion: TurnContent
    public var label: Bool

    /// Loads `{prompt, completion, label}` rows.
    public static func load(_ url: URL) throws -> [UnpairedExample] {
        try DatasetFile.rows(of: url).map { raw in
            let row = RowColumns(row: raw)
            let prompt = try row.content("prompt", allowEmpty: true), completion = try row.content("completion")
            if prompt.isConversational != completion.isConversational {
                throw row.fail("'prompt' and 'completion' must both be text or both be message lists")
            }
            return UnpairedExample(location: raw.location, prompt: prompt, completion: completion, label: try row.bool("label"))
        }
    }
}

/// One supervised fine-tuning example in one of TRL's three SFT layouts.
public enum SFTExample: Equatable, Sendable {
    /// `{text}`: language modelling on the whole text.
    case text(String, RowLocation)
    /// `{prompt, completion}`: text or conversational.
    case promptCompletion(prompt: TurnContent, completion: TurnContent, RowLocation)
    /// `{messages}`: a whole conversation.
    case messages(TurnContent, RowLocation)

    /// Loads an SFT file; the layout of each row is chosen by its columns (`messages`, else `text`, else
    /// `prompt` + `completion`).
    public static func load(_ url: URL) throws -> [SFTExample] {
        try DatasetFile.rows(of: url).map { raw in
            let row = RowColumns(row: raw)
            if row.has("messages") {
                let m = try row.content("messages")
                guard m.isConversational else { throw row.fail("column 'messages' must be a list of {role, content} messages") }
                return .messages(m, raw.location)
            }
            if row.has("text") { return .text(try row.text("text"), raw.location) }
            guard row.has("prompt") || row.has("completion") else {
                throw row.fail("expected an SFT row: 'text', 'messages', or 'prompt' and 'completion'")
            }
            let prompt = try row.content("prompt", allowEmpty: true), completion = try row.content("completion")
            if prompt.isConversational != completion.isConversational {
                throw row.fail("'prompt' and 'completion' must both be text or both be message lists")
            }
            return .promptCompletion(prompt: prompt, completion: completion, raw.location)
        }
    }
}
