// Tokenizer: a tokenizer.json pipeline — added tokens, normalizer, pre-tokenizer, model, post-processor,
// decoder — producing the same ids, tokens and character offsets as huggingface/tokenizers v0.23.3
// (`Tokenizer.from_file(...).encode(text)`), and decoding ids back to text. Pairs of sequences, truncation and
// padding are left out.
import Foundation

/// A tokenizer loaded from tokenizer.json.
///
/// ```swift
/// let tok = try Tokenizer(contentsOf: URL(fileURLWithPath: "tokenizer.json"))
/// let enc = tok.encode("Hello world")      // enc.ids, enc.tokens, enc.offsets
/// let text = try tok.decode(enc.ids, skipSpecialTokens: true)
/// ```
public final class Tokenizer: @unchecked Sendable {
    public let model: any TokenizerModel
    public let normalizer: (any Normalizer)?
    public let preTokenizer: (any PreTokenizer)?
    public let postProcessor: (any PostProcessor)?
    public let decoder: (any Decoder)?
    let added: AddedVocabulary
    /// The byte-level fast path, when the pipeline has a shape it supports (see ByteLevelEncoder).
    let fastPath: ByteLevelEncoder?
    let scratchPool = ScratchPool()
    /// Every token's exact bytes, index = id (see `Tokenizer+Bytes.swift`); computed at load, so it is safe to
    /// read from several threads.
    public private(set) var tokenBytes: [[UInt8]] = []

    /// Loads tokenizer.json from a file (or a folder holding tokenizer.json).
    /// - Throws: `AlignTokenizersError` naming the key path of anything missing, malformed or unsupported.
    public convenience init(contentsOf url: URL) throws {
        var file = url
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue {
            file = url.appendingPathComponent("tokenizer.json")
        }
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw AlignTokenizersError.unreadableFile(path: file.path, reason: error.localizedDescription)
        }
        try self.init(json: data, source: file.path)
    }

    /// Loads tokenizer.json content; `source` names it in errors.
    public init(json data: Data, source: String = "tokenizer.json") throws {
        let root = try JSONNode.parse(data, source: source)
        _ = try root.asObject()
        model = try ModelFactory.make(try root.required("model"))
        normalizer = try root.optional("normalizer").map(NormalizerFactory.make)
        preTokenizer = try root.optional("pre_tokenizer").map(PreTokenizerFactory.make)
        postProcessor = try root.optional("post_processor").map(PostProcessorFactory.make)
        decoder = try root.optional("decoder").map(DecoderFactory.make)
        added = AddedVocabulary(tokens: try AddedVocabulary.parse(try root.optional("added_tokens")), normalizer: normalizer)
        fastPath = ByteLevelEncoder(normalizer: normalizer, preTokenizer: preTokenizer, model: model)
        tokenBytes = computeTokenBytes()
    }

    /// Number of ids (model vocabulary and added tokens).
    public var vocabSize: Int { max(model.vocabSize, (added.tokens.map(\.id).max() ?? -1) + 1) }

    /// The added tokens (special or not) of tokenizer.json.
    public var addedTokens: [AddedToken] { added.tokens }

    /// The token string of an id (added tokens first, then the model vocabulary).
    public func token(for id: Int) -> String? { added.byId[id]?.content ?? model.token(for: id) }

    /// The id of a token string.
    public func id(for token: String) -> Int? { added.byContent[token]?.id ?? model.id(for: token) }

    /// Whether an id is a special added token.
    public func isSpecial(_ id: Int) -> Bool { added.byId[id]?.special ?? false }

    /// Encodes a text.
    /// - Parameter addSpecialTokens: let the post-processor add its special tokens (tokenizers' default: true).
    public func encode(_ text: String, addSpecialTokens: Bool = true) -> Encoding {
        var scratch = scratchPool.acquire()
        defer { scratchPool.release(scratch) }
        return encode(text, addSpecialTokens: addSpecialTokens, scratch: &scratch, useFastPath: true)
    }

    /// Encodes with the given scratch space; `useFastPath: false` forces the general pipeline (for tests).
    /// Added tokens are cut out of the original text first, as tokenizers' AddedVocabulary does.
    func encode(_ text: String, addSpecialTokens: Bool, scratch: inout EncodeScratch, useFastPath: Bool) -> Encoding {
        let original = Array(text.unicodeScalars)
        var enc = Encoding()
        for (range, tok) in added.originalTrie.split(original[...]) {
            if let tok {
                enc.append(id: tok.id, token: BPEModel.string(original[range]), offset: (range.lowerBound, range.upperBound), special: tok.special)
            } else if range.isEmpty {
                continue
            } else if useFastPath, let fast = fastPath, fast.accepts(original[range]) {
                // The normalizer leaves this text unchanged, so normalized added tokens match on it directly.
                for (r2, tok2) in added.normalizedTrie.split(original[range]) {
                    if let tok2 {
                        enc.append(id: tok2.id, token: BPEModel.string(original[r2]), offset: (r2.lowerBound, r2.upperBound), special: tok2.special)
                    } else if !r2.isEmpty {
                        fast.encode(original, r2, into: &enc, scratch: &scratch)
                    }
                }
            } else {
                encodeGeneral(original[range], into: &enc)
            }
        }
        postProcessor?.process(&enc, addSpecialTokens: addSpecialTokens)
        return enc
    }

    /// The stage-by-stage pipeline for text between added tokens: normalize, cut out normalized added tokens,
    /// pre-tokenize, run the model on each word.
    func encodeGeneral(_ segment: ArraySlice<Unicode.Scalar>, into enc: inout Encoding) {
        var n = NormalizedText(original: segment)
        normalizer?.normalize(&n)
        var words = [WordToken]()
        for (r2, tok2) in added.normalizedTrie.split(n.scalars[...]) {
            if let tok2 {
                enc.append(id: tok2.id, token: BPEModel.string(n.scalars[r2]), offset: n.originalRange(r2), special: tok2.special)
                continue
            }
            if r2.isEmpty { continue }
            let piece = r2.count == n.count ? n : n.slice(r2)
            for w in preTokenizer?.preTokenize([piece]) ?? [piece] where !w.isEmpty {
                words.removeAll(keepingCapacity: true)
                model.tokenize(w.scalars, into: &words)
                for t in words {
                    enc.append(id: Int(t.id), token: model.token(for: Int(t.id)) ?? "",
                               offset: w.originalRange(Int(t.start)..<Int(t.end)), special: false)
                }
            }
        }
    }

    /// A pool of scratch spaces, one per concurrently running encode.
    final class ScratchPool: @unchecked Sendable {
        private var free: [EncodeScratch] = []
        private let lock = NSLock()
        func acquire() -> EncodeScratch {
            lock.lock(); defer { lock.unlock() }
            return free.popLast() ?? EncodeScratch()
        }
        func release(_ s: EncodeScratch) {
            lock.lock(); defer { lock.unlock() }
            free.append(s)
        }
    }

    /// Decodes ids to text through the decoder (token strings joined by spaces when there is none).
    /// - Parameter skipSpecialTokens: leave out special added tokens.
    /// - Throws: `AlignTokenizersError.unknownTokenId` for an id outside the vocabulary.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) throws -> String {
        var toks = [String]()
        toks.reserveCapacity(ids.count)
        for id in ids {
            guard let t = token(for: id) else { throw AlignTokenizersError.unknownTokenId(id) }
            if skipSpecialTokens, added.byContent[t]?.special == true { continue }
            toks.append(t)
        }
        guard let decoder else { return toks.joined(separator: " ") }
        return decoder.decodeChain(toks).joined()
    }
}
