// SFTTokenizer: SFTTrainer._prepare_dataset of TRL 1.16 (trl/trainer/sft_trainer.py) in Swift.
//  1. Text rows get EOS appended (`add_eos`) unless they already end with it: `text` for language modeling,
//     `completion` for prompt-completion. Conversational rows get none (the template closes the turn).
//  2. Tokenization (`tokenize_fn`): text through the tokenizer with its special tokens (`processing_class(text=…)`),
//     conversations through the chat template, then the tokenizer without special tokens
//     (`apply_chat_template(tokenize=True)`); a conversational prompt is rendered with `add_generation_prompt`.
//     Prompt-completion rows are tokenized as tok(prompt + completion); the completion starts at the common
//     token prefix of tok(prompt) and tok(prompt + completion) (`common_prefix_length`).
//  3. Labels (`build_labels`): every token is a target, except prompt tokens when completion_only_loss is on.
//  4. Without packing, `max_length` truncation (keep_start / keep_end) and the drop of examples left with no
//     target (`dataset.filter(any(label != -100))`); the dropped rows are reported, never silently lost.
//     With packing the rows are packed instead (SFTPacking.swift) and neither step applies, as in TRL.
// Left out: `dataset_text_field` other than "text", formatting functions, assistant_only_loss, tools.
import AlignTokenizers
import Foundation

/// One tokenized SFT sequence: token ids and which of them are loss targets (TRL's `labels != -100`, before
/// the causal shift: `isTarget[i]` means token i is predicted from tokens 0..<i).
public struct TokenizedSFT: Codable, Sendable, Equatable {
    /// Token ids.
    public var ids: [Int32]
    /// [ids.count] true where TRL's label is the token itself, false where it is −100.
    public var isTarget: [Bool]

    /// Creates a sequence; `isTarget` must have one flag per id.
    public init(ids: [Int32], isTarget: [Bool]) {
        precondition(ids.count == isTarget.count, "one target flag per token")
        self.ids = ids
        self.isTarget = isTarget
    }

    /// The first (keep_start) or last (keep_end) `maxLength` tokens.
    public func truncated(maxLength n: Int, mode: TruncationMode) -> TokenizedSFT {
        guard ids.count > n else { return self }
        switch mode {
        case .keepStart: return TokenizedSFT(ids: Array(ids[..<n]), isTarget: Array(isTarget[..<n]))
        case .keepEnd: return TokenizedSFT(ids: Array(ids.suffix(n)), isTarget: Array(isTarget.suffix(n)))
        }
    }
}

/// The dataset settings of SFTConfig, with TRL 1.16's names and defaults.
public struct SFTDataConfig: Sendable, Equatable {
    /// `max_length` (default 1024; nil = no truncation, not allowed with packing).
    public var maxLength: Int? = 1024
    /// `truncation_mode` (default keep_start).
    public var truncationMode = TruncationMode.keepStart
    /// `completion_only_loss`: nil = TRL's default, true for prompt-completion data (the only data it affects).
    public var completionOnlyLoss: Bool?
    /// `packing` (default false).
    public var packing = false
    /// `packing_strategy`: bfd (default), bfd_split or wrapped.
    public var packingStrategy = PackingStrategy.bfd

    /// TRL's defaults.
    public init() {}
}

/// The result of preparing an SFT dataset.
public struct TokenizedSFTDataset: Sendable {
    /// Training examples in file order (or packing order); each holds one sequence, or several packed (bfd).
    public var examples: [SFTPackedExample]
    /// Rows dropped because truncation left no target token (without packing only).
    public var droppedByLength: [RowLocation]
    /// Tokens beyond max_length that bfd packing cut off (TRL truncates them too); 0 otherwise.
    public var tokensCutByPacking = 0
}

/// Tokenizes SFT examples exactly as TRL's SFTTrainer prepares its dataset.
public struct SFTTokenizer {
    /// The tokenizer, EOS text and chat template (shared with preference tokenization).
    public let base: PreferenceTokenizer

    /// Wraps a preference tokenizer's parts.
    public init(base: PreferenceTokenizer) { self.base = base }

    /// Reads a model folder's tokenizer files (see `PreferenceTokenizer.init(directory:chatTemplateSource:)`).
    public init(directory: URL, chatTemplateSource: String? = nil) throws {
        base = try PreferenceTokenizer(directory: directory, chatTemplateSource: chatTemplateSource)
    }

    /// Tokenizes, labels, truncates or packs every example as SFTTrainer does.
    /// - Throws: `AlignDataError` naming the row for a layout that differs from the first row's, or a
    ///   template failure; `invalidSetting` for max_length < 1 or packing without max_length.
    public func prepare(_ examples: [SFTExample], config: SFTDataConfig) throws -> TokenizedSFTDataset {
        if let n = config.maxLength, n < 1 { throw AlignDataError.invalidSetting(name: "max_length", value: "\(n)", expected: "≥ 1 or none") }
        try SFTExample.checkSameLayout(examples)
        // TRL: completion_only_loss defaults to whether the dataset has prompt and completion columns.
        let completionOnly = config.completionOnlyLoss ?? examples.first.map(\.isPromptCompletion) ?? false
        let tokenized = try examples.map { try tokenize($0, completionOnlyLoss: completionOnly) }
        if config.packing {
            guard let n = config.maxLength else {
                throw AlignDataError.invalidSetting(name: "max_length", value: "none", expected: "a length when packing is on")
            }
            let cut = config.packingStrategy == .bfd ? tokenized.reduce(0) { $0 + max($1.ids.count - n, 0) } : 0
            return TokenizedSFTDataset(examples: SFTPacking.pack(tokenized, maxLength: n, strategy: config.packingStrategy),
                                       droppedByLength: [], tokensCutByPacking: cut)
        }
        var kept: [SFTPackedExample] = [], dropped: [RowLocation] = []
        for (ex, t) in zip(examples, tokenized) {
            let cut = config.maxLength.map { t.truncated(maxLength: $0, mode: config.truncationMode) } ?? t
            if cut.isTarget.contains(true) { kept.append(SFTPackedExample(sequences: [cut])) } else { dropped.append(ex.location) }
        }
        return TokenizedSFTDataset(examples: kept, droppedByLength: dropped)
    }

    /// Tokenizes one example without truncation.
    public func tokenize(_ ex: SFTExample, completionOnlyLoss: Bool) throws -> TokenizedSFT {
        switch ex {
        case let .text(text, _):
            let ids = base.encode(base.withEOS(text))
            return TokenizedSFT(ids: ids.map(Int32.init), isTarget: Array(repeating: true, count: ids.count))
        case let .messages(.messages(m), loc):
            let ids = try base.render(m, generationPrompt: false, at: loc)
            return TokenizedSFT(ids: ids.map(Int32.init), isTarget: Array(repeating: true, count: ids.count))
        case let .promptCompletion(.text(p), .text(c), _):
            return split(prompt: base.encode(p), full: base.encode(p + base.withEOS(c)), completionOnlyLoss)
        case let .promptCompletion(.messages(p), .messages(c), loc):
            return split(prompt: try base.render(p, generationPrompt: true, at: loc),
                         full: try base.render(p + c, generationPrompt: false, at: loc), completionOnlyLoss)
        default:
            throw AlignDataError.malformedRow(ex.location, reason: "prompt and completion must both be text or both be message lists")
        }
    }

    /// tok(prompt + completion) with the completion starting at the common prefix of tok(prompt) and it.
    func split(prompt: [Int], full: [Int], _ completionOnlyLoss: Bool) -> TokenizedSFT {
        let n = completionOnlyLoss ? PreferenceTokenizer.commonPrefixLength(prompt, full) : 0
        return TokenizedSFT(ids: full.map(Int32.init), isTarget: (0 ..< full.count).map { $0 >= n })
    }
}

extension SFTExample {
    /// The row's location.
    public var location: RowLocation {
        switch self {
        case let .text(_, loc), let .messages(_, loc), let .promptCompletion(_, _, loc): return loc
        }
    }

    /// True for `{prompt, completion}` rows.
    public var isPromptCompletion: Bool { if case .promptCompletion = self { return true } else { return false } }

    /// The layout name used in messages: "text", "messages", "prompt-completion" or "conversational prompt-completion".
    var layout: String {
        switch self {
        case .text: return "text"
        case .messages: return "messages"
        case let .promptCompletion(p, _, _): return p.isConversational ? "conversational prompt-completion" : "prompt-completion"
        }
    }

    /// As in a Hugging Face dataset, every row must have the first row's layout (TRL decides from the first example).
    static func checkSameLayout(_ examples: [SFTExample]) throws {
        guard let first = examples.first else { return }
        if let bad = examples.first(where: { $0.layout != first.layout }) {
            throw AlignDataError.malformedRow(bad.location, reason: "\(bad.layout) row in a \(first.layout) dataset (the first row decides)")
        }
    }
}
