// Parity of every logits processor with transformers 5.23's LogitsProcessors on fixed logits and
// histories. Witness: Tests/Fixtures/decoding/processors.json, written by
// scripts/fixtures/decoding_processors_fixture.py (−inf stored as null and matched exactly).
import Foundation
import Testing
import AlignDecoding
import AlignTestSupport

struct ProcessorFixture: Decodable {
    struct Case: Decodable {
        let name: String
        let params: [String: JSONValue]
        let input_ids: [[Int32]]
        let prompt_length: Int
        let logits: [[Float?]]
        let expected: [[Float?]]
        let order: [String]?
    }
    let vocab: Int
    let cases: [Case]
}

/// Minimal JSON value for the fixture's free-form `params`.
indirect enum JSONValue: Decodable {
    case number(Double), string(String), bool(Bool), array([JSONValue])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else { self = .array(try c.decode([JSONValue].self)) }
    }
    var double: Double { if case let .number(d) = self { return d }; return .nan }
    var int: Int { Int(double) }
    var array: [JSONValue] { if case let .array(a) = self { return a }; return [] }
    var ids: [Int32] { array.map { Int32($0.int) } }
}

/// Builds the processor list a fixture case describes, in transformers' generate order.
func processors(for c: ProcessorFixture.Case) throws -> [any LogitsProcessor] {
    let p = c.params
    let keep = p["min_tokens_to_keep"]?.int ?? 1
    var list: [any LogitsProcessor] = []
    if let bias = p["sequence_bias"] {
        list.append(try SequenceBiasProcessor(bias.array.map { ($0.array[0].ids, Float($0.array[1].double)) }))
    }
    if let pen = p["repetition_penalty"] { list.append(try RepetitionPenaltyProcessor(penalty: Float(pen.double))) }
    if let f = p["frequency_penalty"], let pr = p["presence_penalty"] {
        list.append(try FrequencyPresencePenaltyProcessor(frequencyPenalty: Float(f.double), presencePenalty: Float(pr.double)))
    }
    if let n = p["no_repeat_ngram_size"] { list.append(try NoRepeatNGramProcessor(ngramSize: n.int)) }
    let eos = p["eos_token_id"]?.ids ?? []
    if let bad = p["bad_words_ids"] { list.append(try SequenceBiasProcessor.badWords(bad.array.map(\.ids), eosTokenIds: eos)) }
    if let m = p["min_new_tokens"] { list.append(try MinNewTokensProcessor(minNewTokens: m.int, eosTokenIds: eos)) }
    if let t = p["temperature"] { list.append(try TemperatureProcessor(temperature: Float(t.double))) }
    if let k = p["top_k"] { list.append(try TopKProcessor(topK: k.int, minTokensToKeep: keep)) }
    if let tp = p["top_p"] { list.append(try TopPProcessor(topP: tp.double, minTokensToKeep: keep)) }
    if let m = p["min_p"] { list.append(try MinPProcessor(minP: Float(m.double), minTokensToKeep: keep)) }
    if let t = p["typical_p"] { list.append(try TypicalProcessor(mass: Float(t.double), minTokensToKeep: keep)) }
    return list
}

@Suite("Logits processors match transformers 5.23")
struct ProcessorParityTests {
    static let fixture: ProcessorFixture? = try? FixturePaths.loadJSON(ProcessorFixture.self, "decoding/processors.json")

    @Test("the fixture loads and holds every case")
    func fixtureLoads() throws {
        let f = try #require(Self.fixture)
        #expect(f.cases.count == 33)
    }

    @Test("each processor matches its transformers LogitsProcessor", arguments: 0..<33)
    func processorMatches(index: Int) throws {
        let f = try #require(Self.fixture)
        let c = f.cases[index]
        var list = try processors(for: c)
        #expect(!list.isEmpty, "no processor built for \(c.name)")
        if let order = c.order { #expect(list.count == order.count, "\(c.name): \(order)") }
        let histories = c.input_ids.enumerated().map { TokenHistory(row: $0, tokens: $1, promptLength: c.prompt_length) }
        var logits = c.logits.flatMap { $0.map { $0 ?? -.infinity } }
        try logits.withUnsafeMutableBufferPointer { buf in
            for i in list.indices { try list[i].process(buf, vocabularySize: f.vocab, histories: histories) }
        }
        let expected = c.expected.flatMap { $0 }
        var infMismatch = 0
        var finite: [(Float, Float)] = []
        for (a, e) in zip(logits, expected) {
            if let e { if a == -.infinity { infMismatch += 1 } else { finite.append((a, e)) } }
            else if a != -.infinity { infMismatch += 1 }
        }
        #expect(infMismatch == 0, "\(c.name): \(infMismatch) positions differ in −inf-ness")
        let report = compareClose(finite.map(\.0), finite.map(\.1), atol: 1e-6, rtol: 1e-6)
        #expect(report.passed, "\(c.name): \(report)")
    }
}

@Suite("GenerateParameters builds transformers' processor list")
struct ProcessorOrderTests {
    @Test("makeProcessors reproduces the list transformers' generate builds (composed fixture case)")
    func composedList() throws {
        let f = try #require(ProcessorParityTests.fixture)
        let c = try #require(f.cases.first { $0.name == "composed_generate_list" })
        var p = GenerateParameters()
        p.doSample = true
        p.temperature = 0.8
        p.topK = 12
        p.topP = 0.9
        p.minP = 0.02
        p.typicalP = 0.95
        p.repetitionPenalty = 1.2
        p.noRepeatNgramSize = 3
        p.badWordsIds = [[7, 3]]
        p.minNewTokens = 6
        p.eosTokenIds = [1]
        p.sequenceBias = [.init(sequence: [5], bias: 1.0), .init(sequence: [3, 4], bias: -0.5)]
        var list = try p.makeProcessors(extra: [])
        let names = list.map { String(describing: type(of: $0)) }
        #expect(names == ["SequenceBiasProcessor", "RepetitionPenaltyProcessor", "NoRepeatNGramProcessor",
                          "SequenceBiasProcessor", "MinNewTokensProcessor", "TemperatureProcessor", "TopKProcessor",
                          "TopPProcessor", "MinPProcessor", "TypicalProcessor"])
        #expect(c.order?.count == names.count)
        let histories = c.input_ids.enumerated().map { TokenHistory(row: $0, tokens: $1, promptLength: c.prompt_length) }
        var logits = c.logits.flatMap { $0.map { $0 ?? -.infinity } }
        try logits.withUnsafeMutableBufferPointer { buf in
            for i in list.indices { try list[i].process(buf, vocabularySize: f.vocab, histories: histories) }
        }
        let expected = c.expected.flatMap { $0.map { $0 ?? -.infinity } }
        #expect(zip(logits, expected).allSatisfy { a, e in a == e || abs(a - e) <= 1e-6 * max(1, abs(e)) })
        #expect(expected.filter { $0 == -.infinity }.count == 57)
    }
}
