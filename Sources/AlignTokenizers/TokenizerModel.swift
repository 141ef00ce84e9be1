// TokenizerModel: the `model` stage of tokenizer.json — turns one pre-tokenized word into token ids. BPE is
// implemented (BPEModel); Unigram and WordPiece plug in here by conforming to this protocol and adding a case
// to ModelFactory.

/// A token produced by a model: its id and the range of word scalars it covers.
public struct WordToken: Equatable, Sendable {
    public var id: Int32
    public var start: Int32
    public var end: Int32
}

/// A subword model (BPE today; Unigram and WordPiece would conform too).
public protocol TokenizerModel: Sendable {
    /// Number of ids in the model's own vocabulary.
    var vocabSize: Int { get }
    /// The token string of an id in the model's vocabulary.
    func token(for id: Int) -> String?
    /// The id of a token string in the model's vocabulary.
    func id(for token: String) -> Int?
    /// Tokenizes one word, appending tokens to `out`.
    func tokenize(_ word: [Unicode.Scalar], into out: inout [WordToken])
}

/// Builds the model from `model` of tokenizer.json.
enum ModelFactory {
    static func make(_ node: JSONNode) throws -> any TokenizerModel {
        // Old files omit "type" for BPE; infer it from the presence of merges as tokenizers does.
        let type = try node.optionalString("type") ?? ((try node.optional("merges")) != nil ? "BPE" : "")
        switch type {
        case "BPE": return try BPEModel(node)
        default: throw AlignTokenizersError.unknownType(path: node.childPath("type"), type: type)
        }
    }
}
