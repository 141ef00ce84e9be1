// PreferenceTokenizer: DPOTrainer._prepare_dataset of TRL 1.16 (trl/trainer/dpo_trainer.py) in Swift.
//  1. Text rows: EOS is appended to chosen and rejected unless they already end with it (`add_eos`);
//     conversational rows get none (the template ends the turn).
//  2. tok(prompt), tok(prompt + chosen), tok(prompt + rejected): text through the tokenizer with its special
//     tokens (`processing_class(text=…)`), conversations through the chat template (`add_generation_prompt`
//     for the prompt alone) and then the tokenizer without special tokens (`apply_chat_template(tokenize=True)`).
//  3. The completion starts at the shortest common token prefix of tok(prompt) with both full sequences
//     (`common_prefix_length`), which differs from |tok(prompt)| when tokens merge across the boundary.
//  4. With max_length and keep_start, rows whose prompt alone is ≥ max_length are dropped (and counted);
//     the collator's per-sequence truncation is applied here (TokenizedPreference.truncated).
import AlignTokenizers
import Foundation

/// The result of tokenizing a preference dataset: the examples kept and the rows dropped by length.
public struct TokenizedPreferenceDataset: Sendable {
    /// Kept examples, in file order, truncated to max_length.
    public var examples: [TokenizedPreference]
    /// Rows dropped because their prompt alone fills max_length (keep_start only).
    public var droppedByLength: [RowLocation]
}

/// Tokenizes preference examples exactly as TRL's DPOTrainer does.
public struct PreferenceTokenizer {
    /// The tokenizer (tokenizer.json pipeline).
    public let tokenizer: Tokenizer
    /// The EOS token text appended to text completions.
    public let eosToken: String
    /// The chat template for conversational rows; nil when the model has none.
    public let chatTemplate: ChatTemplate?

    /// Creates a tokenizer from its parts.
    public init(tokenizer: Tokenizer, eosToken: String, chatTemplate: ChatTemplate?) {
        self.tokenizer = tokenizer
        self.eosToken = eosToken
        self.chatTemplate = chatTemplate
    }

    /// Reads a model folder: tokenizer.json, tokenizer_config.json's eos_token and chat template (or
    /// `chatTemplateSource` instead of the folder's template), with the folder's special tokens.
    public init(directory: URL, chatTemplateSource: String? = nil) throws {
        let tok = try Tokenizer(contentsOf: directory.appendingPathComponent("tokenizer.json"))
        let config = try ChatTemplateConfig(directory: directory)
        guard let eos = config.specialTokens["eos_token"] else {
            throw AlignDataError.invalidSetting(name: "\(directory.path)/tokenizer_config.json eos_token", value: "absent",
                                                expected: "the EOS token text")
        }
        var template: ChatTemplate?
        if let source = chatTemplateSource {
            template = try ChatTemplate(source: source)
        } else if !config.templates.isEmpty {
            template = try config.template()
        }
        template?.specialTokens = config.specialTokens
        self.init(tokenizer: tok, eosToken: eos, chatTemplate: template)
    }

    /// Tokenizes every example; with `maxLength`, drops (keep_start) and truncates as TRL does.
    public func tokenize(_ examples: [PreferenceExample], maxLength: Int?,
                         truncationMode: TruncationMode = .keepStart) throws -> TokenizedPreferenceDataset {
        if let n = maxLength, n < 1 { throw AlignDataError.invalidSetting(name: "max_length", value: "\(n)", expected: "≥ 1 or none") }
        var kept: [TokenizedPreference] = [], dropped: [RowLocation] = []
        for ex in examples {
            let t = try tokenize(ex)
            guard let n = maxLength else { kept.append(t); continue }
            if truncationMode == .keepStart && t.prompt.count >= n { dropped.append(ex.location); continue }
            kept.append(t.truncated(maxLength: n, mode: truncationMode))
        }
        return TokenizedPreferenceDataset(examples: kept, droppedByLength: dropped)
    }

    /// Tokenizes one example without truncation.
    public func tokenize(_ ex: PreferenceExample) throws -> TokenizedPreference {
        let promptIDs: [Int], chosenIDs: [Int], rejectedIDs: [Int]
        switch (ex.prompt, ex.chosen, ex.rejected) {
        case let (.text(p), .text(c), .text(r)):
            promptIDs = encode(p)
            chosenIDs = encode(p + withEOS(c))
            rejectedIDs = encode(p + withEOS(r))
        case let (.messages(p), .messages(c), .messages(r)):
            promptIDs = try render(p, generationPrompt: true, at: ex.location)
            chosenIDs = try render(p + c, generationPrompt: false, at: ex.location)
            rejectedIDs = try render(p + r, generationPrompt: false, at: ex.location)
        default:
            throw AlignDataError.malformedRow(ex.location, reason: "prompt, chosen and rejected must all be text or all be message lists")
        }
        let n = min(Self.commonPrefixLength(promptIDs, chosenIDs), Self.commonPrefixLength(promptIDs, rejectedIDs))
        return TokenizedPreference(prompt: promptIDs[..<n].map(Int32.init), chosen: chosenIDs[n...].map(Int32.init),
                                   rejected: rejectedIDs[n...].map(Int32.init))
    }

    /// TRL's `add_eos`: `s` with the EOS text appended unless it already ends with it. Compared by Unicode
    /// scalars as Python's `str.endswith` does (String.hasSuffix would use canonical equivalence).
    func withEOS(_ s: String) -> String {
        let a = Array(s.unicodeScalars), e = Array(eosToken.unicodeScalars)
        return a.count >= e.count && Array(a.suffix(e.count)) == e ? s : s + eosToken
    }

    func encode(_ text: String) -> [Int] { tokenizer.encode(text, addSpecialTokens: true).ids }

    func render(_ messages: [ChatJSON], generationPrompt: Bool, at loc: RowLocation) throws -> [Int] {
        guard let template = chatTemplate else { throw AlignDataError.noChatTemplate(loc) }
        let text: String
        do { text = try template.render(messages: messages, addGenerationPrompt: generationPrompt) } catch {
            throw AlignDataError.templateFailed(loc, reason: "\(error)")
        }
        // transformers' apply_chat_template(tokenize=True) encodes with add_special_tokens=False.
        return tokenizer.encode(text, addSpecialTokens: false).ids
    }

    /// TRL's `common_prefix_length`: the number of leading ids two sequences share.
    public static func commonPrefixLength(_ a: [Int], _ b: [Int]) -> Int {
        var n = 0
        while n < a.count && n < b.count && a[n] == b[n] { n += 1 }
        return n
    }
}
