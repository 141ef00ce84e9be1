// PunktSentenceTokenizer: NLTK's Punkt sentence splitter with trained parameters (no training here).
//
// Port of nltk 3.10.4 `nltk/tokenize/punkt.py` `PunktSentenceTokenizer.span_tokenize` (Kiss & Strunk 2006,
// "Unsupervised Multilingual Sentence Boundary Detection", Computational Linguistics 32(4)):
//   1. find candidate ends with the period-context regex, each with the word before it
//      (`_match_potential_end_contexts`, the ReDoS-safe form since nltk 3.8.2);
//   2. decide each candidate by annotating the context's tokens — first pass by type (sentence-end chars,
//      ellipses, known abbreviations), second pass by the collocation, abbreviation, initial and number
//      heuristics with orthographic context (`_annotate_first_pass`, `_second_pass_annotation`);
//   3. realign closing quotes/brackets onto the sentence they end (`_realign_boundaries`).
// Indices are code points, as Python's. Training (`PunktTrainer`) and debug output are left out.

/// Splits text into sentences as `nltk.sent_tokenize(text)` / `PunktTokenizer("english").tokenize` do.
///
/// ```swift
/// let punkt = try PunktSentenceTokenizer.english()
/// punkt.sentences(in: "Mr. Smith arrived. He sat.")   // ["Mr. Smith arrived.", "He sat."]
/// ```
public struct PunktSentenceTokenizer: Sendable {
    /// The trained model.
    public let params: PunktParameters

    /// A tokenizer for the given parameters.
    public init(params: PunktParameters) { self.params = params }

    /// The bundled English model (NLTK's punkt_tab/english).
    public static func english() throws -> PunktSentenceTokenizer {
        PunktSentenceTokenizer(params: try PunktParameters.english())
    }

    /// Sentences of `text` (`tokenize(text)`).
    public func sentences(in text: String) -> [String] {
        let t = PyText(py: text)
        return spans(t).map { Array(t[$0]).string }
    }

    /// Number of sentences (`len(tokenize(text))`), what IFEval's `count_sentences` returns.
    public func countSentences(_ text: PyText) -> Int { spans(text).count }

    /// Sentence spans in code-point offsets (`span_tokenize(text)` with boundary realignment).
    public func spans(_ t: PyText) -> [Range<Int>] {
        realign(t, slicesFromText(t))
    }

    // MARK: - Candidate contexts and slices

    /// `_match_potential_end_contexts`: each candidate with the text from the word before it through `after_tok`.
    func potentialEndContexts(_ t: PyText) -> [(PunktLanguageVars.PeriodContext, PyText)] {
        var result: [(PunktLanguageVars.PeriodContext, PyText)] = []
        var previousSlice = 0..<0
        var previous: PunktLanguageVars.PeriodContext?
        func context(_ m: PunktLanguageVars.PeriodContext, _ wordSlice: Range<Int>) -> PyText {
            Array(t[wordSlice]) + Array(t[m.start..<m.afterEnd])
        }
        for m in PunktLanguageVars.periodContexts(t) {
            // The last ASCII whitespace in text[previous.stop ..< m.start]; index 0 counts as "none" (nltk quirk).
            var lastSpace = 0
            var k = m.start - 1
            while k >= previousSlice.upperBound {
                if PyChar.isASCIIWhitespace(t[k]) { lastSpace = k - previousSlice.upperBound; break }
                k -= 1
            }
            let wordStart = lastSpace != 0 ? lastSpace + previousSlice.upperBound + 1 : previousSlice.lowerBound
            let wordSlice = wordStart..<m.start
            if let p = previous, previousSlice.upperBound <= wordSlice.lowerBound {
                result.append((p, context(p, previousSlice)))
            }
            previous = m
            previousSlice = wordSlice
        }
        if let p = previous { result.append((p, context(p, previousSlice))) }
        return result
    }

    /// `_slices_from_text`.
    func slicesFromText(_ t: PyText) -> [Range<Int>] {
        var slices: [Range<Int>] = []
        var lastBreak = 0
        for (m, context) in potentialEndContexts(t) where containsSentbreak(context) {
            slices.append(lastBreak..<(m.start + 1))
            lastBreak = m.nextTokStart ?? (m.start + 1)
        }
        var end = t.count
        while end > 0, PyChar.isSpace(t[end - 1]) { end -= 1 }
        // Python's slice(last_break, len(text.rstrip())) is empty when stop < start.
        slices.append(lastBreak..<max(lastBreak, end))
        return slices
    }

    /// `_realign_boundaries`: moves closing punctuation after a break onto the previous sentence; drops empty slices.
    func realign(_ t: PyText, _ slices: [Range<Int>]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var shift = 0
        for (n, s1) in slices.enumerated() {
            let start1 = s1.lowerBound + shift
            let nonEmpty1 = start1 < s1.upperBound
            guard n + 1 < slices.count else {
                if nonEmpty1 { out.append(start1..<s1.upperBound) }
                continue
            }
            let s2 = slices[n + 1]
            if let (stripped, full) = boundaryRealignment(t, s2) {
                // Yielded even when empty, as nltk does.
                out.append(start1..<max(start1, s2.lowerBound + stripped))
                shift = full
            } else {
                shift = 0
                if nonEmpty1 { out.append(start1..<s1.upperBound) }
            }
        }
        return out
    }

    /// `re_boundary_realignment.match(text[s])`: `["')\]}‘’“”«»]+?(?:\s+|(?=--)|$)` (MULTILINE). Returns the
    /// match length with trailing whitespace stripped (`len(m.group(0).rstrip())`) and the full length.
    func boundaryRealignment(_ t: PyText, _ s: Range<Int>) -> (Int, Int)? {
        func isClose(_ c: Unicode.Scalar) -> Bool {
            switch c {
            case "\"", "'", ")", "]", "}", "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{AB}", "\u{BB}": return true
            default: return false
            }
        }
        var i = s.lowerBound
        // Lazy `+?`: the shortest run of closers after which the tail alternative holds.
        while i < s.upperBound, isClose(t[i]) {
            i += 1
            var j = i
            while j < s.upperBound, PyChar.isSpace(t[j]) { j += 1 }
            let dashes = i + 1 < s.upperBound && t[i] == "-" && t[i + 1] == "-"
            // `$` with MULTILINE: end of the slice or before a "\n".
            if j > i || dashes || i == s.upperBound || t[i] == "\n" {
                var stripped = j
                while stripped > s.lowerBound, PyChar.isSpace(t[stripped - 1]) { stripped -= 1 }
                return (stripped - s.lowerBound, j - s.lowerBound)
            }
        }
        return nil
    }
}
