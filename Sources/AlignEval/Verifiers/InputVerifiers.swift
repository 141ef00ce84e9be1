// Verifiers of constraints relating the response to the prompt's input (ACT class 2): copying the input,
// extractiveness (response n-grams found in the input, as for extractive summaries and answer spans), the
// answer being one of the options, and labels drawn from a set the input lists (e.g. entity types).

/// Lowercased `\w+` words (the IFEval/nltk word definition) of a text.
func lowercasedWords(_ t: PyText) -> [PyText] {
    var words: [PyText] = []
    var current = PyText()
    for c in t {
        if PyChar.isRegexWord(c) { current.append(c) } else if !current.isEmpty { words.append(current.pyLower()); current = [] }
    }
    if !current.isEmpty { words.append(current.pyLower()) }
    return words
}

/// copy_input: the response contains the stripped input verbatim (`ignore_case` optional).
struct CopyInput: ResponseVerifier {
    let ignoreCase: Bool
    init(_ a: ConstraintArgs) throws { ignoreCase = try a.bool("ignore_case", default: false) }
    func isSatisfied(_ r: PyText, input: PyText) -> Bool {
        let needle = input.pyStrip()
        guard !needle.isEmpty else { return false }
        return ignoreCase ? r.caseFolded.pyFind(needle.caseFolded) != nil : r.pyFind(needle) != nil
    }
}

/// extractive: at least `min_fraction` (default 1) of the response's word n-grams (`n`, default 1; lowercased
/// `\w+` words) occur in the input. An empty response has no n-grams and is not extractive.
struct Extractive: ResponseVerifier {
    let n: Int
    let minFraction: Double
    init(_ a: ConstraintArgs) throws {
        n = try a.int("n", default: 1, in: 1...64)
        minFraction = try a.number("min_fraction") ?? 1
        guard (0...1).contains(minFraction) else { throw a.error("'min_fraction' must be in 0...1") }
    }
    static func ngrams(_ words: [PyText], _ n: Int) -> [[PyText]] {
        words.count < n ? [] : (0...(words.count - n)).map { Array(words[$0..<($0 + n)]) }
    }
    func isSatisfied(_ r: PyText, input: PyText) -> Bool {
        let grams = Extractive.ngrams(lowercasedWords(r), n)
        guard !grams.isEmpty else { return false }
        let source = Set(Extractive.ngrams(lowercasedWords(input), n))
        let found = grams.filter(source.contains).count
        return Double(found) >= minFraction * Double(grams.count)
    }
}

/// answer_in_options: the stripped response (case-insensitive, one trailing period ignored) equals one of
/// `options`, or, without `options`, one of the input's non-blank lines.
struct AnswerInOptions: ResponseVerifier {
    let options: [String]?
    init(_ a: ConstraintArgs) throws { options = try a.optionalStrings("options") }
    static func normalize(_ t: PyText) -> PyText {
        var s = t.pyStrip().caseFolded
        if s.last == "." { s.removeLast() }
        return s.pyStrip()
    }
    func isSatisfied(_ r: PyText, input: PyText) -> Bool {
        let choices = options.map { $0.map { PyText(py: $0) } } ?? input.pySplit(["\n"])
        let answer = AnswerInOptions.normalize(r)
        guard !answer.isEmpty else { return false }
        return choices.contains { AnswerInOptions.normalize($0) == answer }
    }
}

/// labels_from_input: the response is a `separator`-separated list of labels, each one of the labels the input
/// lists (input split on the same separator and on newlines; case-insensitive).
struct LabelsFromInput: ResponseVerifier {
    let separator: PyText
    init(_ a: ConstraintArgs) throws {
        separator = PyText(py: try a.optionalString("separator", default: ","))
        guard !separator.isEmpty else { throw a.error("'separator' must not be empty") }
    }
    func isSatisfied(_ r: PyText, input: PyText) -> Bool {
        let allowed = Set(input.pySplit(["\n"]).flatMap { $0.pySplit(separator) }.map { $0.pyStrip().caseFolded }
            .filter { !$0.isEmpty })
        guard let items = LabelSet.items(r, multi: true, separator: separator, fold: true) else { return false }
        return items.allSatisfy(allowed.contains)
    }
}
