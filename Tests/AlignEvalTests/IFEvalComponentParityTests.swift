// Sentence counts, word counts, uppercase-token counts and language verdicts against NLTK and langdetect,
// on all eight loose variants of each GPT-4 response. Witness: Tests/Fixtures/ifeval/components.jsonl,
// written by scripts/fixtures/ifeval_components.py (nltk 3.10.4 + punkt_tab english, langdetect 1.0.9).
import Foundation
import Testing
import AlignEval
import AlignTestSupport

struct ComponentLine: Decodable {
    let key: Int
    let sentences: [Int]
    let words: [Int]
    let capitals: [Int]
    let lang: [String]?
}

enum Components {
    static func load() throws -> [ComponentLine] {
        let text = try String(contentsOf: FixturePaths.fixture("ifeval/components.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(ComponentLine.self, from: Data($0.utf8)) }
    }

    /// key → eight variants of the GPT-4 response.
    static func variants() throws -> [Int: [PyText]] {
        let prompts = try IFEvalData.readPrompts(FixturePaths.shared("ifeval/input_data.jsonl"))
        let items = try IFEvalData.readItems(
            responses: FixturePaths.shared("ifeval/input_response_data_gpt4_20231107_145030.jsonl"), prompts: prompts)
        return Dictionary(uniqueKeysWithValues: items.map {
            ($0.prompt.key, IFEvalScorer.looseVariants(PyText(py: $0.response)))
        })
    }
}

@Suite("IFEval building blocks match NLTK and langdetect")
struct IFEvalComponentParityTests {
    @Test("Punkt sentence counts equal nltk's on 541 × 8 response variants")
    func sentenceCounts() throws {
        let punkt = try SharedTools.tools.get().punkt
        let variants = try Components.variants()
        var bad: [String] = []
        for line in try Components.load() {
            let vs = try #require(variants[line.key])
            for (i, v) in vs.enumerated() where punkt.countSentences(v) != line.sentences[i] {
                bad.append("\(line.key)/\(i): \(punkt.countSentences(v)) vs \(line.sentences[i])")
            }
        }
        #expect(bad.isEmpty, "\(bad.count) differ: \(bad.prefix(20))")
    }

    @Test("\\w+ word counts and uppercase word_tokenize counts equal nltk's on 541 × 8 variants")
    func wordCounts() throws {
        let tools = try SharedTools.tools.get()
        let variants = try Components.variants()
        var bad: [String] = []
        for line in try Components.load() {
            let vs = try #require(variants[line.key])
            for (i, v) in vs.enumerated() {
                let words = IFEvalWords.count(v)
                let caps = tools.words.tokenize(v).filter { PyText(py: $0).pyIsUpper }.count
                if words != line.words[i] { bad.append("\(line.key)/\(i) words \(words) vs \(line.words[i])") }
                if caps != line.capitals[i] { bad.append("\(line.key)/\(i) capitals \(caps) vs \(line.capitals[i])") }
            }
        }
        #expect(bad.isEmpty, "\(bad.count) differ: \(bad.prefix(20))")
    }

    @Test("language verdicts equal langdetect's on every variant of the 95 language-checked responses")
    func languageVerdicts() throws {
        let detector = try SharedTools.tools.get().language
        let variants = try Components.variants()
        var bad: [String] = []
        var checked = 0
        for line in try Components.load() {
            guard let langs = line.lang else { continue }
            let vs = try #require(variants[line.key])
            for (i, v) in vs.enumerated() where langs[i] != "<empty>" {
                checked += 1
                let got: String
                do { got = try detector.detect(v) } catch { got = "<error>" }
                if got != langs[i] { bad.append("\(line.key)/\(i): \(got) vs \(langs[i])") }
            }
        }
        #expect(checked == 595)  // non-blank variants of the 95 language-checked responses
        #expect(bad.isEmpty, "\(bad.count) of \(checked) differ: \(bad.prefix(20))")
    }
}
