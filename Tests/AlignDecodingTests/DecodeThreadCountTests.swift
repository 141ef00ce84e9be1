// Batch-1 decoding gives the same bits whatever the thread count: every one-row product (the fused
// q/k/v and gate/up jobs, o_proj and down_proj with their residuals, the LM head) and the one-query
// attention form each output element in one fixed order, however the pool splits the rows
// (Sources/AlignTensor/Kernels/GemvKernels.swift). The prompt is one token, so the prefill runs the
// same one-row path and no sgemm (whose split may depend on the thread count) touches the cache.
import Testing
import AlignDecoding
import AlignModels
import AlignTensor

@Suite("Decoding and the thread count", .serialized)
struct DecodeThreadCountTests {
    @Test("tiny Llama: logits of 24 decoding steps are bit-identical on 1 and 2 threads")
    func bitIdentical() throws {
        let model = try #require(TinyLlama.model)
        let tokens: [Int32] = (0 ..< 24).map { Int32(3 + ($0 * 7919) % 31_000) }
        func logits(threads: Int) throws -> [Float] {
            let saved = Parallel.threads
            Parallel.threads = threads
            defer { Parallel.threads = saved }
            var (l, cache) = try model.prefill([[1]])
            var all = l.scalars
            for t in tokens {
                l = try model.step([t], cache: &cache)
                all += l.scalars
            }
            return all
        }
        let one = try logits(threads: 1), two = try logits(threads: 2)
        #expect(one.count == 25 * model.vocabularySize)
        #expect(one == two)
    }
}
