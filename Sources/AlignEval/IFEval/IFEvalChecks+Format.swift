// IFEval checks on format (reference classes BulletListChecker, ConstrainedResponseChecker,
// HighlightSectionChecker, SectionChecker, JsonFormat, TitleChecker in google-research instructions.py).
import Foundation

/// detectable_format:number_bullet_lists — `* item` and `- item` lines (per the reference regexes) equal N.
struct BulletListChecker: IFEvalCheck {
    let bullets: Int
    init(_ k: IFEvalKwargs) throws { bullets = try k.count("num_bullets") }
    func isFollowed(by v: PyText, tools: IFEvalTools) -> Bool { IFEvalPatterns.bulletCount(v) == bullets }
}

/// detectable_format:constrained_response — contains "My answer is yes." / "no." / "maybe.".
struct ConstrainedResponseChecker: IFEvalCheck {
    static let options = ["My answer is yes.", "My answer is no.", "My answer is maybe."].map { PyText(py: $0) }
    func isFollowed(by v: PyText, tools: IFEvalTools) -> Bool {
        let s = v.pyStrip()
        return ConstrainedResponseChecker.options.contains { s.pyFind($0) != nil }
    }
}

/// detectable_format:number_highlighted_sections — at least N `*highlight*` (plus `**bold**`) sections.
struct HighlightSectionChecker: IFEvalCheck {
    let minimum: Int
    init(_ k: IFEvalKwargs) throws { minimum = try k.count("num_highlights") }
    func isFollowed(by v: PyText, tools: IFEvalTools) -> Bool { IFEvalPatterns.highlightCount(v) >= minimum }
}

/// detectable_format:multiple_sections — at least N `<splitter> <number>` section headers (case-sensitive).
struct SectionChecker: IFEvalCheck {
    let splitter: PyText
    let regex: NSRegularExpression?
    let minimum: Int
    init(_ k: IFEvalKwargs) throws {
        let s = try k.string("section_spliter").trimmingPythonWhitespace()
        splitter = PyText(py: s)
        minimum = try k.count("num_sections")
        if splitter.contains(where: { IFEvalKeywordPattern.metacharacters.contains($0) }) {
            // The reference uses the splitter as a regex; a literal scanner covers every value in the data.
            do { regex = try NSRegularExpression(pattern: "\\s?" + s + "\\s?\\d+\\s?") } catch {
                throw k.error("section_spliter", "a valid regular expression (\(error))")
            }
        } else {
            regex = nil
        }
    }
    func isFollowed(by v: PyText, tools: IFEvalTools) -> Bool {
        if let regex {
            let s = v.string
            return regex.numberOfMatches(in: s, range: NSRange(s.startIndex..., in: s)) >= minimum
        }
        return IFEvalPatterns.sectionCount(v, splitter: splitter) >= minimum
    }
}

/// detectable_format:json_format — after stripping one ```json / ```Json / ```JSON / ``` fence, Python's
/// `json.loads` accepts the text.
struct JsonFormat: IFEvalCheck {
    static let prefixes = ["```json", "```Json", "```JSON", "```"].map { PyText(py: $0) }
    static let fence = PyText(py: "```")
    func isFollowed(by v: PyText, tools: IFEvalTools) -> Bool {
        var s = v.pyStrip()
        // removeprefix is applied for each prefix in turn, as the reference chains them.
        for p in JsonFormat.prefixes where s.pyHasPrefix(p) { s.removeFirst(p.count) }
        if s.pyHasSuffix(JsonFormat.fence) { s.removeLast(JsonFormat.fence.count) }
        return PyJSONValidator.accepts(s.pyStrip())
    }
}

/// detectable_format:title — a non-blank `<<title>>` on one line.
struct TitleChecker: IFEvalCheck {
    func isFollowed(by v: PyText, tools: IFEvalTools) -> Bool { IFEvalPatterns.hasTitle(v) }
}
