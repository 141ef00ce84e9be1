// IFEvalInstruction: the 25 registered IFEval instruction types and the registry that builds them from kwargs.
//
// Mirrors google-research `instruction_following_eval/instructions_registry.py` (`INSTRUCTION_DICT`) and each
// class's `build_description` in `instructions.py` (as vendored unchanged by lm-eval 0.4.13
// `lm_eval/tasks/ifeval/`, except `letter_frequency`, which follows the current google-research file and accepts
// any single character). Each check is a small value type in IFEvalChecks*.swift, named after the reference class.
// Left out: the unregistered `key_sentences`, `rephrase`, `rephrase_paragraph` and `constrained_start` checkers.

/// The shared, immutable tools some checks need (sentence splitter, word tokenizer, language detector).
public final class IFEvalTools: Sendable {
    /// Punkt English, as `nltk.data.load("tokenizers/punkt/english.pickle")`.
    public let punkt: PunktSentenceTokenizer
    /// `nltk.word_tokenize`.
    public let words: TreebankWordTokenizer
    /// `langdetect.detect`, made deterministic.
    public let language: LangDetector

    /// Tools built from the resources bundled with AlignEval.
    public init() throws {
        punkt = try PunktSentenceTokenizer.english()
        words = try TreebankWordTokenizer(punkt: punkt)
        language = try LangDetector.bundled()
    }

    /// `langdetect.detect(v) == expected`, with the reference's rule that a detection failure counts as followed.
    func languageIs(_ expected: String, _ v: PyText) -> Bool {
        do { return try language.detect(v) == expected } catch { return true }
    }
}

/// One instruction check: `check_following(value)` of the reference class.
protocol IFEvalCheck: Sendable {
    func isFollowed(by response: PyText, tools: IFEvalTools) -> Bool
}

/// A built instruction: its id and its check.
public struct IFEvalInstruction: Sendable {
    /// The instruction id, e.g. "keywords:existence".
    public let id: String
    let check: IFEvalCheck

    /// Builds the instruction `id` from its kwargs; `prompt` is passed to instructions that take the prompt.
    /// - Throws: `AlignEvalError.unknownInstruction` or `.invalidKwarg`.
    public init(id: String, kwargs: IFEvalKwargs, prompt: String) throws {
        guard let build = IFEvalInstruction.registry[id] else {
            throw AlignEvalError.unknownInstruction(key: kwargs.key, id: id)
        }
        self.id = id
        self.check = try build(kwargs, prompt)
    }

    /// `check_following(response)`.
    public func isFollowed(by response: PyText, tools: IFEvalTools) -> Bool {
        check.isFollowed(by: response, tools: tools)
    }

    /// All registered instruction ids.
    public static var ids: [String] { registry.keys.sorted() }

    typealias Builder = @Sendable (IFEvalKwargs, String) throws -> IFEvalCheck

    static let registry: [String: Builder] = [
        "keywords:existence": { kwargs, _ in try KeywordChecker(kwargs) },
        "keywords:frequency": { kwargs, _ in try KeywordFrequencyChecker(kwargs) },
        "keywords:forbidden_words": { kwargs, _ in try ForbiddenWords(kwargs) },
        "keywords:letter_frequency": { kwargs, _ in try LetterFrequencyChecker(kwargs) },
        "language:response_language": { kwargs, _ in try ResponseLanguageChecker(kwargs) },
        "length_constraints:number_sentences": { kwargs, _ in try NumberOfSentences(kwargs) },
        "length_constraints:number_paragraphs": { kwargs, _ in try ParagraphChecker(kwargs) },
        "length_constraints:number_words": { kwargs, _ in try NumberOfWords(kwargs) },
        "length_constraints:nth_paragraph_first_word": { kwargs, _ in try ParagraphFirstWordCheck(kwargs) },
        "detectable_content:number_placeholders": { kwargs, _ in try PlaceholderChecker(kwargs) },
        "detectable_content:postscript": { kwargs, _ in try PostscriptChecker(kwargs) },
        "detectable_format:number_bullet_lists": { kwargs, _ in try BulletListChecker(kwargs) },
        "detectable_format:constrained_response": { _, _ in ConstrainedResponseChecker() },
        "detectable_format:number_highlighted_sections": { kwargs, _ in try HighlightSectionChecker(kwargs) },
        "detectable_format:multiple_sections": { kwargs, _ in try SectionChecker(kwargs) },
        "detectable_format:json_format": { _, _ in JsonFormat() },
        "detectable_format:title": { _, _ in TitleChecker() },
        "combination:two_responses": { _, _ in TwoResponsesChecker() },
        "combination:repeat_prompt": { kwargs, prompt in try RepeatPromptThenAnswer(kwargs, prompt: prompt) },
        "startend:end_checker": { kwargs, _ in try EndChecker(kwargs) },
        "change_case:capital_word_frequency": { kwargs, _ in try CapitalWordFrequencyChecker(kwargs) },
        "change_case:english_capital": { _, _ in CapitalLettersEnglishChecker() },
        "change_case:english_lowercase": { _, _ in LowercaseLettersEnglishChecker() },
        "punctuation:no_comma": { _, _ in CommaChecker() },
        "startend:quotation": { _, _ in QuotationChecker() },
    ]
}
