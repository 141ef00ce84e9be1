// The tiny Llama in ../shared/data/models/tiny-llama against its reference.json, produced by
// transformers 5.24 / torch 2.15 (see that folder's README): per-position argmax and log-sum-exp,
// log-probs of the input tokens, the first 16 logits at the last position, and 16 greedy tokens.
import Foundation
import Testing
import AlignTensor
import AlignModels
import AlignTestSupport

struct TinyLlamaOutputs: Decodable {
    let input_ids: [Int32]
    let argmax: [Int]
    let logsumexp: [Double]
    let last_logits_first16: [Double]
    let next_token_logprob_of_input: [Double]
    let greedy_16_new_tokens: [Int32]
}

/// The tiny Llama's spec, as its config.json describes it (vocab 32000, C 256, 4 layers, 8 heads,
/// 2 KV heads, D 32, MLP 688, RMSNorm 1e-6, RoPE θ 10000, tied embeddings).
func tinyLlamaSpec() throws -> DecoderSpec {
    var spec = DecoderSpec(vocabSize: 32000, hiddenSize: 256, layers: 4, heads: 8, kvHeads: 2, headDim: 32, intermediateSize: 688,
                norm: .rms(eps: 1e-6), positions: .rotary(inverseFrequencies: try Rope.inverseFrequencies(dimension: 32, theta: 10000),
                                                          attentionScaling: 1),
                tiedEmbeddings: true)
    spec.embeddingPaddingIndex = 0  // config.json's pad_token_id, torch's padding_idx
    return spec
}

let tinyLlamaDirectory = FixturePaths.shared("models/tiny-llama")

@Suite("tiny Llama matches transformers")
struct TinyLlamaParityTests {
    let reference: TinyLlamaOutputs
    let model: DecoderModel

    init() throws {
        reference = try JSONDecoder().decode(TinyLlamaOutputs.self,
                                             from: Data(contentsOf: tinyLlamaDirectory.appendingPathComponent("reference.json")))
        model = try DecoderModel.load(directory: tinyLlamaDirectory)
        #expect(model.spec == (try tinyLlamaSpec()), "config.json resolves to the hand-written spec")
    }

    @Test("logits: argmax, log-sum-exp and the last position's first 16 logits")
    func logits() throws {
        let logits = try model.logits([reference.input_ids])  // [1, T, V]
        let v = 32000, t = reference.input_ids.count
        let values = logits.scalars
        var argmax: [Int] = [], lse: [Double] = []
        for i in 0 ..< t {
            let row = values[i * v ..< (i + 1) * v]
            argmax.append((row.indices.max { row[$0] < row[$1] } ?? 0) - i * v)
            let m = Double(row.max() ?? 0)
            lse.append(m + Foundation.log(row.reduce(0.0) { $0 + Foundation.exp(Double($1) - m) }))
        }
        #expect(argmax == reference.argmax)
        let r = compareClose(lse, reference.logsumexp, atol: 1e-4, rtol: 1e-5)
        #expect(r.passed, "logsumexp: \(r)")
        let last = Array(values[(t - 1) * v ..< (t - 1) * v + 16])
        let r2 = compareClose(last, reference.last_logits_first16, atol: 1e-4, rtol: 1e-4)
        #expect(r2.passed, "last logits: \(r2)")
    }

    @Test("per-token log-probs through the chunked fused head equal transformers' log_softmax gather")
    func tokenLogProbs() throws {
        let ids = reference.input_ids
        let labels = [Array(ids.dropFirst()) + [-100]]
        let logp = try model.tokenLogProbs([ids], labels: labels, chunkRows: 5)  // several chunks
        let r = compareClose(Array(logp.scalars.dropLast()), reference.next_token_logprob_of_input, atol: 1e-4, rtol: 1e-5)
        #expect(r.passed, "\(r)")
        #expect(logp.scalars.last == 0)
    }

    @Test("greedy decoding with the KV cache reproduces transformers' 16 tokens, and cached logits equal full logits")
    func greedyWithCache() throws {
        let cache = KVCache(layers: 4)
        var tokens = reference.input_ids
        var logits = try model.logits([tokens], cache: cache)
        var generated: [Int32] = []
        for _ in 0 ..< 16 {
            let v = logits.shape[2], last = logits.scalars.suffix(v)
            let best = last.indices.max { last[$0] < last[$1] } ?? last.startIndex
            let next = Int32(best - last.startIndex)
            generated.append(next)
            tokens.append(next)
            logits = try model.logits([[next]], cache: cache)
        }
        #expect(generated == reference.greedy_16_new_tokens)
        // After the loop, `logits` is the cached step for the last token: it equals a full forward's last row.
        let full = try model.logits([tokens]).scalars.suffix(32000)
        let r = compareClose(Array(logits.scalars), Array(full), atol: 1e-4, rtol: 1e-4)
        #expect(r.passed, "cached vs full: \(r)")
    }
}
