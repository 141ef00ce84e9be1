// PromptEmbedding: the embedding function for BCO's UDM classifier when it is a decoder model — the mean of its final
// hidden states (after the final norm) over a prompt's tokens, one prompt at a time so padding never enters the mean.
// TRL leaves `embedding_func` to the user; mean pooling of the last hidden state is the usual choice for sentence
// embeddings and what the methods notes suggest (shared/methods/training-objectives.md, BCO UDM step 2).
import AlignModels
import AlignTensor

/// Prompt embeddings for UDM from a frozen decoder.
public enum PromptEmbedding {
    /// [prompt][C] the mean final hidden state of each prompt under `model`, without gradients.
    /// - Throws: `TrainingError.invalidConfig` for an empty prompt or a token id outside the model's vocabulary.
    public static func meanPooled(_ model: DecoderModel, prompts: [[Int32]]) throws -> [[Float]] {
        try Autograd.withoutGrad {
            try prompts.enumerated().map { i, ids in
                guard !ids.isEmpty, ids.allSatisfy({ $0 >= 0 && Int($0) < model.spec.vocabSize }) else {
                    throw TrainingError.invalidConfig(field: "udm_embedding_model", value: "prompt \(i) ids \(ids.prefix(8))",
                                                      expected: "a non-empty prompt within the embedding model's vocabulary (\(model.spec.vocabSize))")
                }
                let h = try model.hiddenStates([ids]).scalars  // [1, T, C] flattened
                let c = model.spec.hiddenSize, t = ids.count
                return (0 ..< c).map { j in (0 ..< t).reduce(Float(0)) { $0 + h[$1 * c + j] } / Float(t) }
            }
        }
    }
}
