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
        var maxValue = -Float.infinity
        for x in row where x > maxValue { maxValue = x }
        var sum = 0.0
        for i in 0..<row.count {
            let e = expf(row[i] - maxValue)
            probs[i] = e
            sum += Double(e)
        }
        let total = Float(sum)
        for i in 0..<row.count { probs[i] /= total }
    }

    /// Indices of `keys` sorted ascending by key; ties keep index order (a stable sort).
    ///
    /// Sorts one UInt64 per entry — the float's bits mapped to an order-preserving unsigned key in
    /// the high half, the index in the low half — so the sort compares integers, not closures.
    /// (−0 sorts before +0, which a float comparison would call a tie.)
    static func argsortAscending(_ keys: [Float]) -> [Int] {
        var packed = [UInt64](repeating: 0, count: keys.count)
        for i in keys.indices {
            let bits = keys[i].bitPattern
            // Negative floats: flip all bits (larger magnitude → smaller key); positive: set the sign bit.
            let ordered = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
            packed[i] = UInt64(ordered) << 32 | UInt64(i)
        }
        packed.sort()
        return packed.map { Int($0 & 0xFFFF_FFFF) }
    }
}
