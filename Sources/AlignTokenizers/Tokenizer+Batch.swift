// Tokenizer+Batch: encodes many texts at once on several threads (both cores of the machine by default),
// as tokenizers' `encode_batch` does with rayon. Results keep the input order.
import Foundation

extension Tokenizer {
    /// Encodes `texts` on `threads` threads (default: all active processors).
    public func encodeBatch(_ texts: [String], addSpecialTokens: Bool = true,
                            threads: Int = ProcessInfo.processInfo.activeProcessorCount) -> [Encoding] {
        var results = [Encoding](repeating: Encoding(), count: texts.count)
        let workers = max(1, min(threads, texts.count))
        if workers == 1 {
            var scratch = scratchPool.acquire()
            defer { scratchPool.release(scratch) }
            for (i, t) in texts.enumerated() {
                results[i] = encode(t, addSpecialTokens: addSpecialTokens, scratch: &scratch, useFastPath: true)
            }
            return results
        }
        results.withUnsafeMutableBufferPointer { out in
            guard let base = out.baseAddress else { return }
            // Contiguous chunks (not interleaved indices): neighbouring inputs and results share cache lines,
            // and two threads writing the same line would slow each other down.
            let chunks = min(texts.count, workers * 8)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                var scratch = scratchPool.acquire()
                defer { scratchPool.release(scratch) }
                var c = w
                while c < chunks {
                    for i in (c * texts.count / chunks)..<((c + 1) * texts.count / chunks) {
                        (base + i).pointee = encode(texts[i], addSpecialTokens: addSpecialTokens, scratch: &scratch, useFastPath: true)
                    }
                    c += workers
                }
            }
        }
        return results
    }
}
