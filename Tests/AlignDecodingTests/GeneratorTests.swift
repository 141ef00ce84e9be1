// The generation loop on fake models: greedy parity with transformers' generate (the beam fixture's
// num_beams=1 cases, Tests/Fixtures/decoding/beam_search.json), batching with per-row stopping and
// pad ids, EOS / max_new_tokens finish reasons, seeded reproducibility, processors in the loop,
// fork/rollback equivalence and the async event stream.
import Foundation
import Testing
import AlignDecoding
import AlignTestSupport

struct BeamFixture: Decodable {
    struct Case: Decodable {
        let num_beams: Int
        let length_penalty: Float
        let early_stopping: JSONValue
        let max_new_tokens: Int
        let prompt: [Int32]
        let sequence: [Int32]
        let score: Float?
    }
    let table: [[Float]]
    let eos_token_id: Int32
    let pad_token_id: Int32
    let cases: [Case]
}

func greedyParameters(maxNewTokens: Int, eos: [Int32] = [0]) -> GenerateParameters {
    var p = GenerateParameters()
    p.maxNewTokens = maxNewTokens
    p.eosTokenIds = eos
    return p
}

@Suite("Generation loop")
struct GeneratorTests {
    static let beams: BeamFixture? = try? FixturePaths.loadJSON(BeamFixture.self, "decoding/beam_search.json")

    @Test("greedy continuations equal transformers' generate on the table model")
    func greedyMatchesTransformers() throws {
        let f = try #require(Self.beams)
        let cases = f.cases.filter { $0.num_beams == 1 }
        #expect(cases.count == 3)
        for c in cases {
            let gen = try TokenGenerator(model: TableLM(table: f.table), prompts: [c.prompt],
                                         parameters: greedyParameters(maxNewTokens: c.max_new_tokens, eos: [f.eos_token_id]))
            let row = try gen.run()[0]
            #expect(c.prompt + row.tokens == c.sequence, "prompt \(c.prompt)")
        }
    }

    @Test("a batch stops per row: EOS gives 'stop', finished rows get pad ids, others run to 'length'")
    func batchedPerRowStopping() throws {
        // smallTable: after i the argmax is (i+1) mod 6, so from 3 the greedy path is 4, 5, 0 (EOS).
        var p = greedyParameters(maxNewTokens: 5)
        p.padTokenId = 4
        let gen = try TokenGenerator(model: TableLM(table: smallTable()), prompts: [[2, 3], [5, 1]], parameters: p)
        let rows = try gen.run()
        #expect(rows[0] == GeneratedRow(tokens: [4, 5, 0], text: "", finishReason: .stop))
        #expect(rows[1] == GeneratedRow(tokens: [2, 3, 4, 5, 0], text: "", finishReason: .stop))
        #expect(gen.paddedSequences == [[2, 3, 4, 5, 0, 4, 4], [5, 1, 2, 3, 4, 5, 0]])
        let short = try TokenGenerator(model: TableLM(table: smallTable()), prompts: [[1]],
                                       parameters: greedyParameters(maxNewTokens: 2)).run()
        #expect(short == [GeneratedRow(tokens: [2, 3], text: "", finishReason: .length)])
    }

    @Test("max_new_tokens = 0 finishes at once without sampling")
    func zeroTokens() throws {
        let gen = try TokenGenerator(model: TableLM(table: smallTable()), prompts: [[1]],
                                     parameters: greedyParameters(maxNewTokens: 0))
        #expect(gen.isFinished)
        #expect(try gen.step().isEmpty)
        #expect(gen.rows == [GeneratedRow(tokens: [], text: "", finishReason: .length)])
    }

    @Test("processors act inside the loop: min_new_tokens hides EOS, bad words and a bitmask steer greedy")
    func processorsInLoop() throws {
        var p = greedyParameters(maxNewTokens: 5)
        p.minNewTokens = 4
        // From 3: 4, 5, then EOS 0 is suppressed → second best after 5 is (5+2) mod 6 = 1, then 2, …
        let rows = try TokenGenerator(model: TableLM(table: smallTable()), prompts: [[3]], parameters: p).run()
        #expect(rows[0].tokens == [4, 5, 1, 2, 3])
        var q = greedyParameters(maxNewTokens: 3)
        q.badWordsIds = [[4, 5]]  // after 4, token 5 is banned → next best (4+2) mod 6 = 0 (EOS)
        #expect(try TokenGenerator(model: TableLM(table: smallTable()), prompts: [[3]], parameters: q).run()[0].tokens == [4, 0])
        // Bitmask allowing only tokens 1 and 3.
        let mask = BitmaskProcessor { _ in [0b1010] }
        let masked = try TokenGenerator(model: TableLM(table: smallTable()), prompts: [[0]],
                                        parameters: greedyParameters(maxNewTokens: 3), processors: [mask]).run()
        #expect(masked[0].tokens == [1, 3, 3])  // after 1: 2 banned, 3 is next; after 3: 4, 5 banned, 3 (0.3) beats 1 (0.1)
    }

    @Test("sampling with top_k = 1 equals greedy; a large logit_bias forces its token")
    func samplingInvariants() throws {
        let model = TableLM(table: smallTable(), mix: 0.4)
        let greedy = try TokenGenerator(model: model, prompts: [[1], [3]], parameters: greedyParameters(maxNewTokens: 6)).run()
        var p = greedyParameters(maxNewTokens: 6)
        p.doSample = true
        p.topK = 1
        p.temperature = 2
        p.seed = 5
        #expect(try TokenGenerator(model: model, prompts: [[1], [3]], parameters: p).run() == greedy)
        var biased = greedyParameters(maxNewTokens: 3)
        biased.logitBias = [4: 100]
        #expect(try TokenGenerator(model: model, prompts: [[1]], parameters: biased).run()[0].tokens == [4, 4, 4])
    }

    @Test("seeded sampling is reproducible and a row does not depend on the other rows")
    func seededSampling() throws {
        var p = GenerateParameters()
        p.doSample = true
        p.maxNewTokens = 12
        p.temperature = 1.5
        p.topK = 0
        p.seed = 99
        let model = TableLM(table: smallTable(), mix: 0.3)
        let a = try TokenGenerator(model: model, prompts: [[1], [2]], parameters: p).run()
        let b = try TokenGenerator(model: model, prompts: [[1], [4, 4]], parameters: p).run()
        #expect(a[0] == b[0])
        #expect(a[0].tokens.count == 12 || a[0].finishReason == .stop)
        p.seed = 100
        let c = try TokenGenerator(model: model, prompts: [[1], [2]], parameters: p).run()
        #expect(c[0].tokens != a[0].tokens || c[1].tokens != a[1].tokens)
    }

    @Test("fork continues identically; rollback then regenerate reproduces the same tokens")
    func forkAndRollback() throws {
        var p = GenerateParameters()
        p.doSample = true
        p.topK = 0
        p.maxNewTokens = 10
        p.eosTokenIds = []
        p.seed = 7
        p.repetitionPenalty = 1.3
        let model = TableLM(table: smallTable(), mix: 0.5)
        let reference = try TokenGenerator(model: model, prompts: [[1, 2], [3]], parameters: p).run()
        let gen = try TokenGenerator(model: model, prompts: [[1, 2], [3]], parameters: p)
        for _ in 0..<4 { _ = try gen.step() }
        let fork = try gen.fork()
        #expect(try fork.run() == reference)
        #expect(gen.rows.map(\.tokens) == reference.map { Array($0.tokens.prefix(4)) })
        try gen.rollback(2)
        #expect(gen.rows.map(\.tokens) == reference.map { Array($0.tokens.prefix(2)) })
        #expect(try gen.run() == reference)
        // Rollback after the end un-finishes the rows and replays them.
        try gen.rollback(5)
        #expect(!gen.isFinished)
        #expect(try gen.run() == reference)
        #expect(throws: AlignDecodingError.rollbackTooFar(requested: 11, available: 10)) { try gen.rollback(11) }
    }

    @Test("the async event stream yields the same events as run()")
    func asyncEvents() async throws {
        var p = greedyParameters(maxNewTokens: 4)
        p.eosTokenIds = [0]
        let model = TableLM(table: smallTable())
        var expected: [GenerationEvent] = []
        try TokenGenerator(model: model, prompts: [[2], [4]], parameters: p).run { expected.append($0) }
        var streamed: [GenerationEvent] = []
        for try await event in try TokenGenerator(model: model, prompts: [[2], [4]], parameters: p).events() {
            streamed.append(event)
        }
        #expect(streamed == expected)
        #expect(expected.count == 4 + 2)  // row 0: 3,4,5,0 (EOS at 4th); row 1: 5,0
        #expect(expected.last?.finishReason == .stop)
    }

    @Test("bad requests get typed errors")
    func typedErrors() throws {
        let model = TableLM(table: smallTable())
        #expect(throws: AlignDecodingError.emptyPrompt(row: 1)) {
            try TokenGenerator(model: model, prompts: [[1], []], parameters: GenerateParameters())
        }
        var p = GenerateParameters()
        p.doSample = true
        p.temperature = 0
        #expect(throws: AlignDecodingError.self) { try TokenGenerator(model: model, prompts: [[1]], parameters: p) }
        var q = GenerateParameters()
        q.stopStrings = ["x"]
        #expect(throws: AlignDecodingError.self) { try TokenGenerator(model: model, prompts: [[1]], parameters: q) }
        #expect(throws: AlignDecodingError.tokenOutOfVocabulary(parameter: "prompt", token: 6, vocabularySize: 6)) {
            try TokenGenerator(model: model, prompts: [[1, 6]], parameters: GenerateParameters())
        }
        #expect(throws: AlignDecodingError.self) { try TokenGenerator(model: model, prompts: [], parameters: GenerateParameters()) }
        var pad = greedyParameters(maxNewTokens: 2)
        pad.padTokenId = 9
        #expect(throws: AlignDecodingError.tokenOutOfVocabulary(parameter: "pad_token_id", token: 9, vocabularySize: 6)) {
            try TokenGenerator(model: model, prompts: [[1]], parameters: pad)
        }
        var r = GenerateParameters()
        r.logitBias = [17: 1]
        #expect(throws: AlignDecodingError.tokenOutOfVocabulary(parameter: "sequence_bias", token: 17, vocabularySize: 6)) {
            try TokenGenerator(model: model, prompts: [[1]], parameters: r).run()
        }
    }

    @Test("generation_config.json keys decode, with eos_token_id as int or list")
    func parametersDecode() throws {
        let json = #"{"max_new_tokens": 7, "do_sample": true, "top_p": 0.9, "eos_token_id": 2, "early_stopping": "never", "logit_bias": {"5": -1.5}}"#
        let p = try JSONDecoder().decode(GenerateParameters.self, from: Data(json.utf8))
        #expect(p.maxNewTokens == 7 && p.doSample && p.topP == 0.9 && p.eosTokenIds == [2])
        #expect(p.earlyStopping == .never && p.logitBias == [5: -1.5] && p.topK == 50)
        let list = try JSONDecoder().decode(GenerateParameters.self, from: Data(#"{"eos_token_id": [1, 2]}"#.utf8))
        #expect(list.eosTokenIds == [1, 2])
        let round = try JSONDecoder().decode(GenerateParameters.self, from: JSONEncoder().encode(p))
        #expect(round == p)
    }
}

@Suite("generation_config.json")
struct GenerationConfigFileTests {
    @Test("the tiny Llama's generation_config.json gives EOS 2 and pad 0")
    func tinyLlama() throws {
        let p = try GenerateParameters(contentsOf: FixturePaths.shared("models/tiny-llama/generation_config.json"))
        #expect(p.eosTokenIds == [2])
        #expect(p.padTokenId == 0)
        #expect(p.doSample == false && p.maxNewTokens == 20)
    }

    @Test("a malformed file is a typed error naming the key")
    func malformed() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("alignkit-bad-generation-config.json")
        try Data(#"{"eos_token_id": "two"}"#.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            _ = try GenerateParameters(contentsOf: url)
            Issue.record("expected an error")
        } catch let AlignDecodingError.invalidGenerationConfig(file, reason) {
            #expect(file == url.path)
            #expect(reason.contains("eos_token_id"), "\(reason)")
        }
        try Data(#"{"top_p": 1.5, "do_sample": true}"#.utf8).write(to: url)
        #expect(throws: AlignDecodingError.invalidParameter(parameter: "top_p", value: "1.5", expected: "a value in [0, 1]")) {
            try GenerateParameters(contentsOf: url)
        }
    }
}
