// The generation loop on the real decoder: transformers 5.23's `model.generate` on the shared tiny Llama
// (Tests/Fixtures/generation/tiny_llama_generate.json from scripts/fixtures/generation_fixture.py) —
// greedy 64 tokens batch 1 and left-padded batch 2, beam search (3 beams, 16 tokens), and the sampling
// processors' outputs step by step on transformers' drawn ids — plus cache consistency: incremental
// logits equal full-forward logits, a left-padded row equals the same prompt alone, fork/rollback/selectRows.
import Foundation
import Testing
import AlignDecoding
import AlignModels
import AlignTensor
import AlignTestSupport

struct GenerationFixture: Decodable {
    struct Greedy: Decodable {
        let prompts: [[Int32]]
        let sequences: [[Int32]]
        let input_ids: [[Int32]]
    }
    struct Beam: Decodable {
        let prompt: [Int32]
        let sequence: [Int32]
        let sequence_score: Float
    }
    struct Step: Decodable {
        let ids: [Int]
        let values: [Float]
    }
    struct Sampling: Decodable {
        let prompt: [Int32]
        let temperature: Float
        let top_k: Int
        let top_p: Double
        let sequence: [Int32]
        let steps: [Step]
    }
    let greedy_single: [Greedy]
    let greedy_batch: Greedy
    let beam: [Beam]
    let sampling: Sampling
}

/// The tiny Llama and its fixture, loaded once for the suite.
enum TinyLlama {
    static let model: DecoderModel? = try? DecoderModel.load(directory: FixturePaths.shared("models/tiny-llama"))
    static let fixture: GenerationFixture? = try? FixturePaths.loadJSON(GenerationFixture.self,
                                                                       "generation/tiny_llama_generate.json")

    /// generation_config.json's ids: EOS 2, pad 0.
    static func greedy(_ n: Int) -> GenerateParameters {
        var p = GenerateParameters()
        p.maxNewTokens = n
        p.eosTokenIds = [2]
        p.padTokenId = 0
        return p
    }
}

@Suite("Decoder generation against transformers")
struct DecoderGenerationTests {
    @Test("greedy 64 tokens, batch 1, token-for-token", arguments: 0..<2)
    func greedySingle(index: Int) throws {
        let model = try #require(TinyLlama.model)
        let c = try #require(TinyLlama.fixture).greedy_single[index]
        let gen = try TokenGenerator(model: model, prompts: c.prompts, parameters: TinyLlama.greedy(64))
        let rows = try gen.run()
        #expect(c.prompts[0] + rows[0].tokens == c.sequences[0])
        #expect(rows[0].tokens.count == 64)
    }

    @Test("greedy 64 tokens, left-padded batch of 2, token-for-token")
    func greedyBatch() throws {
        let model = try #require(TinyLlama.model)
        let c = try #require(TinyLlama.fixture).greedy_batch
        let gen = try TokenGenerator(model: model, prompts: c.prompts, parameters: TinyLlama.greedy(64))
        let rows = try gen.run()
        let t = c.input_ids[0].count
        for b in 0..<2 {
            #expect(rows[b].tokens == Array(c.sequences[b][t...]), "row \(b)")
        }
    }

    @Test("beam search (3 beams, 16 tokens) equals transformers", arguments: 0..<2)
    func beam(index: Int) throws {
        let model = try #require(TinyLlama.model)
        let c = try #require(TinyLlama.fixture).beam[index]
        var p = TinyLlama.greedy(16)
        p.numBeams = 3
        let best = try #require(try BeamSearch.run(model: model, prompts: [c.prompt], parameters: p)[0].first)
        #expect(c.prompt + best.tokens == c.sequence)
        #expect(abs(best.score - c.sequence_score) <= 1e-4 * max(1, abs(c.sequence_score)), "\(best.score) vs \(c.sequence_score)")
    }

    @Test("temperature/top-k/top-p outputs equal transformers' processed scores on its drawn ids")
    func samplingProcessors() throws {
        let model = try #require(TinyLlama.model)
        let c = try #require(TinyLlama.fixture).sampling
        var p = TinyLlama.greedy(c.steps.count)
        p.doSample = true
        p.temperature = c.temperature
        p.topK = c.top_k
        p.topP = c.top_p
        var processors = try p.makeProcessors(extra: [])
        var (logits, cache) = try model.prefill([c.prompt])
        var history = TokenHistory(row: 0, tokens: c.prompt, promptLength: c.prompt.count)
        let v = model.vocabularySize
        for (i, expected) in c.steps.enumerated() {
            var row = logits.scalars
            row.withUnsafeMutableBufferPointer { buf in
                for k in processors.indices { try? processors[k].process(buf, vocabularySize: v, histories: [history]) }
            }
            let kept = row.indices.filter { row[$0].isFinite }
            #expect(kept == expected.ids, "step \(i): kept set")
            if kept == expected.ids {
                let err = zip(kept, expected.values).map { abs(row[$0] - $1) }.max() ?? 0
                #expect(err <= 1e-4, "step \(i): max |Δ| \(err)")
            }
            let token = c.sequence[c.prompt.count + i]
            history.tokens.append(token)
            for k in processors.indices { try processors[k].didAccept(token: token, row: 0) }
            logits = try model.step([token], cache: &cache)
        }
    }
}

@Suite("Decoder KV cache")
struct DecoderCacheTests {
    /// Full-forward logits of the last position of `ids` [V].
    static func fullLast(_ model: DecoderModel, _ ids: [Int32]) throws -> [Float] {
        let all = try Autograd.withoutGrad { try model.logits([ids]) }.scalars  // [1, T, V]
        let v = model.vocabularySize
        return Array(all[(ids.count - 1) * v ..< ids.count * v])
    }

    static func maxDiff(_ a: [Float], _ b: ArraySlice<Float>) -> Float {
        zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
    }

    @Test("incremental logits equal full-forward logits; a left-padded row equals its prompt alone")
    func incrementalEqualsFull() throws {
        let model = try #require(TinyLlama.model)
        let f = try #require(TinyLlama.fixture)
        let prompts = f.greedy_batch.prompts  // lengths 12 and 4: row 1 is left-padded by 8
        let v = model.vocabularySize
        var (logits, cache) = try model.prefill(prompts)
        var seqs = prompts
        let next: [[Int32]] = [[7, 100, 2000, 31999], [5, 5, 17, 400]]
        for s in 0..<4 {
            let got = logits.scalars
            for b in 0..<2 {
                let d = Self.maxDiff(try Self.fullLast(model, seqs[b]), got[b * v ..< (b + 1) * v])
                #expect(d <= 1e-4, "step \(s) row \(b): max |Δ| \(d)")
            }
            let tokens = next.map { $0[s] }
            for b in 0..<2 { seqs[b].append(tokens[b]) }
            logits = try model.step(tokens, cache: &cache)
        }
        #expect(cache.kv.length == 12 + 4)
    }

    @Test("fork is independent; rollback then re-stepping reproduces the logits; selectRows gathers rows")
    func forkRollbackSelect() throws {
        let model = try #require(TinyLlama.model)
        let prompts: [[Int32]] = [[10, 11, 12, 13, 14], [20, 21]]
        let v = model.vocabularySize
        var (_, cache) = try model.prefill(prompts)
        _ = try model.step([30, 31], cache: &cache)
        var copy = try model.fork(cache)
        let a = try model.step([40, 41], cache: &cache).scalars
        let b = try model.step([40, 41], cache: &copy).scalars
        #expect(a == b)
        try model.rollback(&cache, count: 1)
        #expect(cache.kv.length == 6 && cache.attentionMask[1] == [0, 0, 0, 1, 1, 1])
        let again = try model.step([40, 41], cache: &cache).scalars
        #expect(Self.maxDiff(a, again[...]) == 0)
        var picked = try model.selectRows(cache, rows: [1, 1, 0])
        let c = try model.step([50, 50, 60], cache: &picked).scalars  // rows: old 1, old 1, old 0
        let d = try model.step([60, 50], cache: &cache).scalars
        #expect(Self.maxDiff(Array(c[0 ..< v]), d[v ..< 2 * v]) <= 1e-5)
        #expect(Self.maxDiff(Array(c[v ..< 2 * v]), d[v ..< 2 * v]) <= 1e-5)
        #expect(Self.maxDiff(Array(c[2 * v ..< 3 * v]), d[0 ..< v]) <= 1e-5)
        #expect(throws: AlignDecodingError.self) { try model.selectRows(cache, rows: [2]) }
        #expect(throws: AlignDecodingError.self) { try model.rollback(&cache, count: 99) }
    }
}
