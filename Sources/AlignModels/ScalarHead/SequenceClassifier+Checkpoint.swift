// Loading and saving a SequenceClassifier as transformers stores `*ForSequenceClassification`
// models: the decoder's tensors under their usual names (`model.…`, no `lm_head`) plus `score.weight`
// [num_labels, C], and config.json with `id2label` / `pad_token_id` / `architectures`. Loading is
// strict: a missing or unknown tensor and a `score.weight` whose shape disagrees with num_labels are
// errors naming the tensor and the shapes. A causal LM folder can also be turned into a fresh
// classifier (`fromCausalLM`), as `AutoModelForSequenceClassification.from_pretrained(lm, num_labels=1)`
// does for TRL's RewardTrainer: `lm_head` is dropped and `score` drawn from N(0, initializer_range²)
// (transformers PreTrainedModel._init_weights for nn.Linear).
import AlignTensor
import Foundation

extension SequenceClassifier {
    /// Loads a `*ForSequenceClassification` folder (config.json + safetensors).
    /// - Throws: config errors; `missingHead` when `score.weight` is absent; `shapeMismatch` when it is not
    ///   [num_labels, C]; `missingTensor` / `unexpectedTensors` for the decoder's tensors.
    public static func load(directory: URL) throws -> SequenceClassifier {
        let configURL = directory.appendingPathComponent("config.json")
        let arch = try ModelRegistry.architecture(contentsOf: configURL)
        let head = try SequenceClassificationConfig(contentsOf: configURL)
        let model = SequenceClassifier(spec: try DecoderSpec(architecture: arch), config: head)
        try model.loadWeights(from: SafetensorsCheckpoint(directory: directory))
        return model
    }

    /// Copies every tensor of `checkpoint` into this classifier.
    public func loadWeights(from checkpoint: SafetensorsCheckpoint) throws {
        let file = checkpoint.directory.path
        let expectedShape = score.weightShape
        guard checkpoint.names.contains("score.weight") else {
            throw AlignModelsError.missingHead(
                name: "score.weight", file: file, expectedShape: expectedShape,
                hint: "this is not a sequence-classification checkpoint (a causal LM? load it with SequenceClassifier.fromCausalLM)")
        }
        let stored = try checkpoint.file(containing: "score.weight").entry("score.weight").shape
        guard stored == expectedShape else {
            throw AlignModelsError.shapeMismatch(tensor: "score.weight", file: file, expected: expectedShape, actual: stored)
        }
        try loadBase(from: checkpoint, allowing: ["score.weight"])
        score.weight.assign(try checkpoint.tensor("score.weight", expectedShape: expectedShape))
    }

    /// A classifier from a causal LM folder: the decoder's weights, `lm_head` dropped, `score` drawn from
    /// N(0, `initializer_range`²) (config.json's value, default 0.02) with `seed`.
    public static func fromCausalLM(directory: URL, numLabels: Int = 1, seed: UInt64) throws -> SequenceClassifier {
        let configURL = directory.appendingPathComponent("config.json")
        let arch = try ModelRegistry.architecture(contentsOf: configURL)
        var head = try SequenceClassificationConfig(contentsOf: configURL)
        head.numLabels = numLabels
        let model = SequenceClassifier(spec: try DecoderSpec(architecture: arch), config: head)
        try model.loadBase(from: SafetensorsCheckpoint(directory: directory), allowing: ["lm_head.weight", "score.weight"])
        let std = Float(try SequenceClassificationConfig.initializerRange(at: configURL))
        var generator = RandomGenerator(seed: seed)
        model.score.weight.assign(Tensor.normal(model.score.weightShape, mean: 0, std: std, generator: &generator))
        return model
    }

    /// Loads the decoder's tensors; names in `allowing` may be present and are not read by this step.
    func loadBase(from checkpoint: SafetensorsCheckpoint, allowing extra: Set<String>) throws {
        let expected = Dictionary(uniqueKeysWithValues: base.storedParameters().map { ($0.0, $0.1.shape) })
        let unexpected = Set(checkpoint.names).subtracting(expected.keys).subtracting(extra).sorted()
        guard unexpected.isEmpty else {
            throw AlignModelsError.unexpectedTensors(names: unexpected, file: checkpoint.directory.path)
        }
        try base.assignStored(try checkpoint.load(expected: expected, strict: false))
    }

    /// Writes `model.safetensors` (decoder tensors + `score.weight`) and config.json to `directory`,
    /// both atomically. `baseConfig` is the config.json the model came from: its keys are kept and the
    /// head's (`architectures`, `id2label`, `label2id`, `pad_token_id`) set.
    public func save(to directory: URL, baseConfig: URL) throws {
        let object = try SequenceClassificationConfig.object(at: baseConfig)
        let modelType = object["model_type"] as? String ?? "llama"
        let json = config.applied(to: object, modelType: modelType)
        let data: Data
        do { data = try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys]) } catch {
            throw AlignModelsError.writeFailed(file: directory.appendingPathComponent("config.json").path,
                                               reason: error.localizedDescription)
        }
        try saveWeights(to: directory)
        try AtomicFile.write(Array(data) + Array("\n".utf8), to: directory.appendingPathComponent("config.json"))
    }

    /// Writes only `model.safetensors` to `directory` (atomically), in transformers' names.
    public func saveWeights(to directory: URL) throws {
        let entries = (base.storedParameters() + [("score.weight", score.weight)]).map { SafetensorsWriter.Entry($0.0, $0.1) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try SafetensorsWriter.write(entries, to: directory.appendingPathComponent("model.safetensors"))
    }
}
