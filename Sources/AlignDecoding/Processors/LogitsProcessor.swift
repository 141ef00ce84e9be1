// LogitsProcessor: the protocol every logits transformation implements — penalties, biases,
// warpers (temperature, top-k/p, min-p, typical) and masks (bad words, EOS suppression, grammar
// bitmask). It mirrors transformers' `LogitsProcessor.__call__(input_ids, scores)` (transformers
// 5.23, generation/logits_process.py) but works in place on a row-major [B, V] Float buffer, with
// each row's prompt+generated history beside it. Stateful processors (a grammar matcher) also hear
// about accepted tokens and rollbacks, and copy themselves on fork; stateless ones get the defaults.

import Foundation

/// Transforms next-token logits in place.
///
/// `logits` is a row-major `[B, V]` buffer (`B = histories.count`, `V = vocabularySize`); row `b`
/// belongs to `histories[b]`. Filtered entries are set to `-Float.infinity`, as transformers'
/// `filter_value` default.
public protocol LogitsProcessor {
    /// Applies the processor to every row of `logits` ([B, V]).
    mutating func process(_ logits: UnsafeMutableBufferPointer<Float>, vocabularySize: Int,
                          histories: [TokenHistory]) throws
    /// Called after the loop appended `token` to batch row `row` (default: nothing).
    mutating func didAccept(token: Int32, row: Int) throws
    /// Called when the last `count` tokens of `row` were removed (default: nothing).
    mutating func rollback(count: Int, row: Int) throws
    /// An independent copy for a forked decoding state (default: `self`, right for value types).
    func forked() -> any LogitsProcessor
}

extension LogitsProcessor {
    public mutating func didAccept(token: Int32, row: Int) throws {}
    public mutating func rollback(count: Int, row: Int) throws {}
    public func forked() -> any LogitsProcessor { self }
}

/// Helpers shared by the processors: row slicing and a numerically safe softmax.
enum LogitsRows {
    /// Calls `body(rowIndex, rowBuffer)` for every row of a `[B, V]` buffer.
    static func forEach(_ logits: UnsafeMutableBufferPointer<Float>, vocabularySize: Int,
                        _ body: (Int, UnsafeMutableBufferPointer<Float>) throws -> Void) rethrows {
        precondition(vocabularySize > 0 && logits.count % vocabularySize == 0, "logits must be [B, V]")
        guard let base = logits.baseAddress else { return }
        for b in 0..<(logits.count / vocabularySize) {
            try body(b, UnsafeMutableBufferPointer(start: base + b * vocabularySize, count: vocabularySize))
        }
    }

    /// Softmax of `row` into `probs` in Float32, as torch computes it: subtract the row max first
    /// (so exp never overflows), exponentiate, divide by the sum (accumulated in Double, which is
    /// what torch's CPU reduction does for float). All −inf rows give NaN, as in torch.
    static func softmax(_ row: UnsafeBufferPointer<Float>, into probs: inout [Float]) {
        probs.withUnsafeMutableBufferPointer { out in
            var maxValue = -Float.infinity
            for x in row where x > maxValue { maxValue = x }
            var sum = 0.0
            for i in 0..<row.count {
                let e = expf(row[i] - maxValue)
                out[i] = e
                sum += Double(e)
            }
            let total = Float(sum)
            for i in 0..<row.count { out[i] /= total }
        }
    }

    /// Indices of `keys` sorted ascending by key; ties keep index order (a stable sort).
    ///
    /// An LSD radix sort (four stable 8-bit passes) over the floats' bits mapped to order-preserving
    /// unsigned keys: O(V) with no comparisons, which matters at V = 32k–150k every decode step.
    /// (−0 sorts before +0, which a float comparison would call a tie.)
    static func argsortAscending(_ keys: [Float]) -> [Int] {
        let n = keys.count
        var order = [UInt32](repeating: 0, count: n), spare = order
        var ordered = [UInt32](repeating: 0, count: n)
        for i in 0..<n {
            let bits = keys[i].bitPattern
            // Negative floats: flip all bits (larger magnitude → smaller key); positive: set the sign bit.
            ordered[i] = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
            order[i] = UInt32(i)
        }
        ordered.withUnsafeBufferPointer { key in
            for shift in stride(from: UInt32(0), to: 32, by: 8) {
                order.withUnsafeMutableBufferPointer { src in
                    spare.withUnsafeMutableBufferPointer { dst in
                        radixPass(key, shift: shift, from: src, to: dst)
                    }
                }
                swap(&order, &spare)
            }
        }
        return order.map { Int($0) }
    }

    /// One stable counting-sort pass of `from` (indices into `key`) by byte `shift/8` of the key.
    private static func radixPass(_ key: UnsafeBufferPointer<UInt32>, shift: UInt32,
                                  from src: UnsafeMutableBufferPointer<UInt32>, to dst: UnsafeMutableBufferPointer<UInt32>) {
        var offsets = [Int](repeating: 0, count: 257)
        offsets.withUnsafeMutableBufferPointer { count in
            for i in 0..<src.count { count[Int((key[Int(src[i])] >> shift) & 0xFF) + 1] += 1 }
            for b in 0..<256 { count[b + 1] += count[b] }
            for i in 0..<src.count {
                let bucket = Int((key[Int(src[i])] >> shift) & 0xFF)
                dst[count[bucket]] = src[i]
                count[bucket] += 1
            }
        }
    }
}
