// Constraint: one automatically verifiable constraint, in one of ACT's three classes by argument type
// (Wang et al. 2024, "From Instructions to Constraints: Language Model Alignment with Automatic Constraint
// Verification", arXiv 2403.06326): on the response alone, relating the response to the input, or across several
// responses to the same prompt. The registry maps the spec's "type" strings to verifiers (one small type each, in
// ResponseVerifiers.swift, InputVerifiers.swift and GroupVerifiers.swift).

/// ACT's constraint classes, by what a verifier reads.
public enum ConstraintClass: String, Sendable, CaseIterable {
    /// Reads the response only (length, keywords, format, case, language, label set).
    case response
    /// Reads the response and the prompt's input (copying, extractiveness, options, labels from the input).
    case responseAndInput = "response_input"
    /// Reads all responses to one prompt (agreement, disjointness, diversity).
    case acrossResponses = "responses"
}

protocol ResponseVerifier: Sendable {
    func isSatisfied(_ response: PyText, input: PyText) -> Bool
}

protocol GroupVerifier: Sendable {
    func isSatisfied(_ responses: [PyText], input: PyText) -> Bool
}

/// A built constraint.
public struct Constraint: Sendable {
    /// The spec's type string, e.g. "word_count".
    public let type: String
    /// Which of ACT's classes it belongs to.
    public let constraintClass: ConstraintClass
    enum Check: Sendable { case single(ResponseVerifier), group(GroupVerifier) }
    let check: Check

    /// Builds a constraint from a spec object `{"type": ..., args...}`.
    /// - Throws: `AlignEvalError.invalidConstraint` naming the prompt, type and argument.
    public init(prompt: String, object: [String: JSONValue], tools: IFEvalTools) throws {
        let args = try ConstraintArgs(prompt: prompt, object: object)
        guard let entry = Constraint.registry[args.type] else {
            throw args.error("unknown type; known: \(Constraint.types.joined(separator: ", "))")
        }
        type = args.type
        constraintClass = entry.0
        check = try entry.1(args, tools)
    }

    /// All registered type strings.
    public static var types: [String] { registry.keys.sorted() }

    typealias Builder = @Sendable (ConstraintArgs, IFEvalTools) throws -> Check

    static let registry: [String: (ConstraintClass, Builder)] = [
        "word_count": (.response, { a, t in .single(try CountVerifier(a, unit: .words, tools: t)) }),
        "sentence_count": (.response, { a, t in .single(try CountVerifier(a, unit: .sentences, tools: t)) }),
        "token_count": (.response, { a, t in .single(try CountVerifier(a, unit: .tokens, tools: t)) }),
        "char_count": (.response, { a, t in .single(try CountVerifier(a, unit: .characters, tools: t)) }),
        "bullet_count": (.response, { a, t in .single(try CountVerifier(a, unit: .bullets, tools: t)) }),
        "keywords_include": (.response, { a, _ in .single(try KeywordsInclude(a)) }),
        "keywords_exclude": (.response, { a, _ in .single(try KeywordsExclude(a)) }),
        "keyword_frequency": (.response, { a, _ in .single(try KeywordFrequency(a)) }),
        "regex": (.response, { a, _ in .single(try RegexVerifier(a)) }),
        "json": (.response, { a, _ in .single(try JSONVerifier(a)) }),
        "section_count": (.response, { a, _ in .single(try SectionCount(a)) }),
        "case": (.response, { a, _ in .single(try CaseVerifier(a)) }),
        "language": (.response, { a, t in .single(try LanguageVerifier(a, tools: t)) }),
        "label_set": (.response, { a, _ in .single(try LabelSet(a)) }),
        "copy_input": (.responseAndInput, { a, _ in .single(try CopyInput(a)) }),
        "extractive": (.responseAndInput, { a, _ in .single(try Extractive(a)) }),
        "answer_in_options": (.responseAndInput, { a, _ in .single(try AnswerInOptions(a)) }),
        "labels_from_input": (.responseAndInput, { a, _ in .single(try LabelsFromInput(a)) }),
        "agreement": (.acrossResponses, { a, _ in .group(try Agreement(a)) }),
        "disjoint": (.acrossResponses, { a, _ in .group(try Disjoint(a)) }),
        "distinct_n": (.acrossResponses, { a, _ in .group(try DistinctN(a)) }),
    ]
}
