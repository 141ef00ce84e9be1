// The pad row of the token embedding gets no gradient in transformers: Llama, Mistral, Qwen2 and
// Qwen3 build `embed_tokens = nn.Embedding(vocab, hidden, padding_idx=config.pad_token_id)`
// (transformers 5.23 modeling_llama.py LlamaModel.__init__), and torch's embedding backward skips
// `padding_idx`; GPT-2's `wte` has no padding_idx. A pad id inside real tokens (pad == eos, or a
// stray id) would otherwise move that row. A classifier has no LM head tied to the embedding, so
// zeroing the row after backward equals torch's rule exactly. (For a causal LM with tied embeddings
// the rule belongs in the embedding backward itself, since the head's gradient reaches the same row.)
import AlignTensor

extension SequenceClassifier {
    /// Whether this family's token embedding has `padding_idx` = pad_token_id in transformers.
    public var embeddingHasPaddingIdx: Bool { base.spec.names == .llama && config.padTokenID != nil }

    /// Sets the gradient of embedding row `pad_token_id` to zero, as torch's `nn.Embedding(padding_idx=)`
    /// backward leaves it. Call after `backward()` and before the optimizer step.
    public func applyPaddingIdxGradient() {
        guard embeddingHasPaddingIdx, let pad = config.padTokenID, let grad = base.embedTokens.grad else { return }
        let c = base.spec.hiddenSize
        guard pad >= 0 && pad < base.spec.vocabSize else { return }  // transformers would fail at construction
        grad.withUnsafeMutableBuffer { g in
            for j in 0 ..< c { g[pad * c + j] = 0 }
        }
    }
}
