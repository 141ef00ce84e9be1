// Self-consistency and Self-Agreement: answer extraction and normalisation, the vote with its tie rule
// (hand-made answer lists), a sampled run on the table model whose vote is recounted here from the
// samples, and the Self-Agreement prompt and second pass.
import Foundation
import Testing
import AlignDecoding

/// Digits and words: a reasoning "path" ends with a number.
let digitVocabulary = TokenByteTable(strings: ["", "1", "2", "3", " so ", "4"])

@Suite("Self-consistency and Self-Agreement")
struct SelfConsistencyTests {
    @Test("last-number extraction normalises numbers; regex takes the last match's group")
    func extraction() throws {
        let e = AnswerExtractor.lastNumber
        #expect(e.extract("2 apples and 3 pears, total 1,250.") == "1250")
        #expect(e.extract("x = 3.50") == "3.5")
        #expect(e.extract("so 4.0 then 7.") == "7")
        #expect(e.extract("answer: -0.0") == "0")
        #expect(e.extract("is +12") == "12")
        #expect(e.extract("tiny .5") == "0.5")
        #expect(e.extract("no digits here") == nil)
        let r = try AnswerExtractor.regex("answer is ([A-E])")
        #expect(r.extract("the answer is B, no, the answer is D.") == "D")
        #expect(r.extract("none") == nil)
        #expect(throws: AlignDecodingError.self) { try AnswerExtractor.regex("(") }
    }

    @Test("majority vote, ties to the answer seen first, nil answers do not vote")
    func vote() {
        let votes = SelfConsistency.vote(["3", nil, "5", "3", "5", "7", nil])
        #expect(votes == [AnswerVote(answer: "3", count: 2), AnswerVote(answer: "5", count: 2), AnswerVote(answer: "7", count: 1)])
        #expect(SelfConsistency.vote([nil, nil]).isEmpty)
    }

    @Test("a sampled run: answers are the samples' last numbers and the winner is their mode")
    func sampledRun() throws {
        var p = GenerateParameters()
        p.doSample = true
        p.topK = 0
        p.maxNewTokens = 4
        p.seed = 11
        let model = TableLM(table: wordTable(), mix: 0.3)
        let result = try SelfConsistency.run(model: model, prompt: [4], samples: 12, parameters: p,
                                             decoder: digitVocabulary, extractor: .lastNumber)
        #expect(result.samples.count == 12)
        var counts: [String: Int] = [:]
        for row in result.samples {
            // The vocabulary has no sign, point or comma: the last number is the last run of digits.
            let last = String(row.text.reversed().drop { !$0.isNumber }.prefix { $0.isNumber }.reversed())
            if !last.isEmpty { counts[last, default: 0] += 1 }
        }
        let top = counts.values.max() ?? 0
        #expect(result.votes.first?.count == top)
        #expect(result.votes.reduce(0) { $0 + $1.count } == counts.values.reduce(0, +))
        let chosen = try #require(result.chosenIndex)
        #expect(result.answers[chosen] == result.answer)
    }

    @Test("Self-Agreement renders every path into the prompt and answers it greedily")
    func selfAgreement() throws {
        let t = SelfAgreementTemplate.standard
        let prompt = t.render(question: "1+1?", paths: [" it is 2 ", "3"])
        #expect(prompt == "Question: 1+1?\n\nHere are 2 answers to the question:\n\nAnswer 1: it is 2\n\nAnswer 2: 3\n\n"
                + "Which final answer do most of the answers above agree on? Reply with that answer only.\n"
                + "The most agreed answer is:")
        var p = GenerateParameters()
        p.doSample = true
        p.topK = 0
        p.maxNewTokens = 3
        let model = TableLM(table: wordTable(), mix: 0.3)
        // Encoder of the fake model: the prompt's length mod 6 as a single token (any deterministic map will do).
        let encode: (String) throws -> [Int32] = { [Int32($0.count % 6)] }
        let r = try SelfAgreement.run(model: model, prompt: [4], question: "q", samples: 3, parameters: p,
                                      decoder: digitVocabulary, selectionTokens: 2, encode: encode)
        #expect(r.samples.count == 3)
        #expect(r.aggregationPrompt == t.render(question: "q", paths: r.samples.map(\.text)))
        var greedy = p
        greedy.doSample = false
        greedy.maxNewTokens = 2
        let expected = try TokenGenerator(model: model, prompts: [try encode(r.aggregationPrompt)], parameters: greedy,
                                          decoder: digitVocabulary).run()[0]
        #expect(r.selection == expected && r.selection.tokens.count == 2)
    }
}
