// Tiny deterministic models for the loop tests: TableLM's next-token logits are
// table[last] + mix · table[previous] (mix = 0: a bigram table, as the transformers beam fixture's
// model), and ScriptedLM strongly prefers a fixed token script. Their "cache" is the token list of
// each row, so fork/rollback/selectRows bugs in the loop show up as wrong logits.
import AlignDecoding
import AlignTensor

struct TableLM: CausalLM {
    let table: [[Float]]  // [V, V]
    var mix: Float = 0
    var vocabularySize: Int { table.count }

    func logits(_ rows: [[Int32]]) throws -> Tensor {
        let v = vocabularySize
        var out = [Float](repeating: 0, count: rows.count * v)  // [B, V]
        for (b, row) in rows.enumerated() {
            let last = Int(row[row.count - 1])
            let prev = row.count >= 2 ? Int(row[row.count - 2]) : nil
            for j in 0..<v { out[b * v + j] = table[last][j] + (prev.map { mix * table[$0][j] } ?? 0) }
        }
        return try Tensor(out, shape: [rows.count, v])
    }

    func prefill(_ prompts: [[Int32]]) throws -> (logits: Tensor, cache: [[Int32]]) { (try logits(prompts), prompts) }

    func step(_ tokens: [Int32], cache: inout [[Int32]]) throws -> Tensor {
        for b in cache.indices { cache[b].append(tokens[b]) }
        return try logits(cache)
    }

    func fork(_ cache: [[Int32]]) -> [[Int32]] { cache }
    func rollback(_ cache: inout [[Int32]], count: Int) { for b in cache.indices { cache[b].removeLast(count) } }
    func selectRows(_ cache: [[Int32]], rows: [Int]) -> [[Int32]] { rows.map { cache[$0] } }
}

/// Prefers `script[n]` after n generated tokens (logit 10 vs 0); 0 once the script ends.
struct ScriptedLM: CausalLM {
    let script: [Int32]
    let vocabularySize: Int
    let promptLength: Int

    func logits(_ rows: [[Int32]]) throws -> Tensor {
        var out = [Float](repeating: 0, count: rows.count * vocabularySize)
        for (b, row) in rows.enumerated() {
            let n = row.count - promptLength
            out[b * vocabularySize + Int(n < script.count ? script[n] : 0)] = 10
        }
        return try Tensor(out, shape: [rows.count, vocabularySize])
    }

    func prefill(_ prompts: [[Int32]]) throws -> (logits: Tensor, cache: [[Int32]]) { (try logits(prompts), prompts) }
    func step(_ tokens: [Int32], cache: inout [[Int32]]) throws -> Tensor {
        for b in cache.indices { cache[b].append(tokens[b]) }
        return try logits(cache)
    }
    func fork(_ cache: [[Int32]]) -> [[Int32]] { cache }
    func rollback(_ cache: inout [[Int32]], count: Int) { for b in cache.indices { cache[b].removeLast(count) } }
    func selectRows(_ cache: [[Int32]], rows: [Int]) -> [[Int32]] { rows.map { cache[$0] } }
}

/// A 6×6 table with clear argmax margins: after token i the best is (i+1) mod 6, then (i+2) mod 6.
func smallTable() -> [[Float]] {
    var table = [[Float]](repeating: [Float](repeating: 0, count: 6), count: 6)
    for i in 0..<6 {
        for j in 0..<6 { table[i][j] = Float(j) * 0.1 }
        table[i][(i + 1) % 6] = 2
        table[i][(i + 2) % 6] = 1
    }
    return table
}
