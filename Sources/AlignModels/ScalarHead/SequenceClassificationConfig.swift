// SequenceClassificationConfig: the config.json fields a `*ForSequenceClassification` model adds to
// its decoder — the label count and the pad token the scalar head pools by — read as transformers 5.23
// reads them (configuration_utils.py PreTrainedConfig): `num_labels` is `len(id2label)` when the file
// has `id2label` (save_pretrained writes id2label/label2id, not num_labels), else a `num_labels` key,
// else transformers' default of 2 (PreTrainedConfig.__init__ and its num_labels property). A file holding
// both, disagreeing, is an error naming the key — deliberately stricter than transformers, which logs a
// warning and lets id2label win: the file contradicts itself about the head's shape.
// Also rewrites a config.json for saving: the original keys are kept verbatim, `architectures`,
// `id2label`, `label2id` and `pad_token_id` are set so transformers reloads the head unchanged.
import Foundation

/// The head-related part of a sequence-classification config.json.
public struct SequenceClassificationConfig: Equatable, Sendable {
    /// Outputs of the head (1 for a reward model).
    public var numLabels: Int
    /// `pad_token_id` (nil when the file has none: only batch-size-1 scoring is then defined).
    public var padTokenID: Int?
    /// `architectures[0]` when it is a sequence-classification class, e.g. "LlamaForSequenceClassification"
    /// (nil when absent or another head, as in a causal LM's config being turned into a reward model).
    public var architecture: String?

    /// A configuration given in code.
    public init(numLabels: Int, padTokenID: Int?, architecture: String? = nil) {
        self.numLabels = numLabels
        self.padTokenID = padTokenID
        self.architecture = architecture
    }

    /// The keys read, decoded with JSONDecoder (so wrong types are errors naming the key path).
    private struct Keys: Decodable {
        let id2label: [String: String]?
        let num_labels: Int?
        let pad_token_id: TokenIDs?
        let architectures: [String]?
    }

    /// Reads config.json text; `file` names it in errors.
    /// - Throws: `invalidConfig` naming `id2label`, `num_labels` or `pad_token_id`.
    public init(data: Data, file: String) throws {
        let keys = try ConfigJSON.decode(Keys.self, from: data, path: file)
        let fromMap = keys.id2label?.count
        if let a = fromMap, let b = keys.num_labels, a != b {
            throw AlignModelsError.invalidConfig(file: file, key: "num_labels", reason: "is \(b) but id2label has \(a) entries")
        }
        let n = fromMap ?? keys.num_labels ?? 2  // transformers' PreTrainedConfig default num_labels
        guard n > 0 else { throw AlignModelsError.invalidConfig(file: file, key: "num_labels", reason: "must be positive, got \(n)") }
        numLabels = n
        padTokenID = keys.pad_token_id?.first  // a list's first id, as transformers' int() use would fail otherwise
        architecture = keys.architectures?.first.flatMap { $0.hasSuffix("ForSequenceClassification") ? $0 : nil }
    }

    /// Reads config.json at `url`.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw AlignModelsError.unreadableFile(file: url.path, reason: error.localizedDescription)
        }
        try self.init(data: data, file: url.path)
    }

    /// The JSON object in the file at `url`.
    static func object(at url: URL) throws -> [String: Any] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw AlignModelsError.unreadableFile(file: url.path, reason: error.localizedDescription)
        }
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: data) } catch {
            throw AlignModelsError.invalidConfig(file: url.path, key: "(root)", reason: "invalid JSON: \(error.localizedDescription)")
        }
        guard let object = parsed as? [String: Any] else {
            throw AlignModelsError.invalidConfig(file: url.path, key: "(root)", reason: "expected a JSON object")
        }
        return object
    }

    /// `base` (a decoded config.json) with this head's keys set: `architectures`
    /// (`<Family>ForSequenceClassification`, from `modelType` when `architecture` is nil),
    /// `id2label`/`label2id` (LABEL_i, transformers' default names) and `pad_token_id`.
    public func applied(to base: [String: Any], modelType: String) -> [String: Any] {
        var out = base
        out["architectures"] = [architecture ?? Self.className(modelType: modelType)]
        out["id2label"] = Dictionary(uniqueKeysWithValues: (0 ..< numLabels).map { ("\($0)", "LABEL_\($0)") })
        out["label2id"] = Dictionary(uniqueKeysWithValues: (0 ..< numLabels).map { ("LABEL_\($0)", $0) })
        out.removeValue(forKey: "num_labels")
        if let padTokenID { out["pad_token_id"] = padTokenID }
        return out
    }

    /// transformers' class name for a model type: "llama" → "LlamaForSequenceClassification".
    static func className(modelType: String) -> String {
        let names = ["llama": "Llama", "mistral": "Mistral", "qwen2": "Qwen2", "qwen3": "Qwen3", "gpt2": "GPT2"]
        return (names[modelType] ?? modelType.prefix(1).uppercased() + modelType.dropFirst()) + "ForSequenceClassification"
    }
}

extension SequenceClassificationConfig {
    private struct InitKeys: Decodable { let initializer_range: Double? }

    /// config.json's `initializer_range` (transformers' default 0.02): the std of a fresh head.
    static func initializerRange(at url: URL) throws -> Double {
        try ConfigJSON.decode(InitKeys.self, from: url).initializer_range ?? 0.02
    }
}
