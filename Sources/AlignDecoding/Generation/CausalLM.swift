// CausalLM: what the generation loop needs from a model, and nothing more — prefill a batch of
// prompts, append one token per row, and copy / trim / reorder the per-row state (the KV cache).
// AlignModels' decoder conforms to it (its cache is `Cache`); tests drive the loop with tiny
// table models. The shape mirrors mlx-swift-lm's split between the model step and the token
// iterator (Evaluate.swift), with fork/rollback added for search (decoding.md §7.7).

import AlignTensor

/// A causal language model the generation loop can drive.
///
/// Rows are independent sequences. `prefill` may receive prompts of different lengths; padding and
/// masking are the model's business. After `prefill`, every `step` appends exactly one token to
/// every row (finished rows receive the pad id, as in transformers).
public protocol CausalLM {
    /// Per-batch model state (the KV cache). Must behave as a value: `fork` returns an independent copy.
    associatedtype Cache

    /// Length V of a logits row.
    var vocabularySize: Int { get }

    /// Runs the prompts and returns the logits of each row's last position, `[B, V]`, and the cache.
    func prefill(_ prompts: [[Int32]]) throws -> (logits: Tensor, cache: Cache)

    /// Appends `tokens[b]` to row b and returns the next-token logits, `[B, V]`.
    func step(_ tokens: [Int32], cache: inout Cache) throws -> Tensor

    /// An independent copy of `cache`.
    func fork(_ cache: Cache) throws -> Cache

    /// Removes the last `count` positions of every row.
    func rollback(_ cache: inout Cache, count: Int) throws

    /// A cache whose row i is a copy of row `rows[i]` of `cache` (beam reordering, expanding one
    /// prompt into several samples). Rows may repeat.
    func selectRows(_ cache: Cache, rows: [Int]) throws -> Cache
}
