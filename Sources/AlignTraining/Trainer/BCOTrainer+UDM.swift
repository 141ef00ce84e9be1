// BCOTrainer's underlying distribution matching (UDM): when desirable and undesirable rows come from different
// prompt distributions, TRL's BCOTrainer (trl 1.13 trl/experimental/bco) samples `prompt_sample_size` prompts with
// replacement from each side (`_get_sample_prompt_embeddings`: min(rows, size) draws), embeds them with the user's
// frozen `embedding_func`, fits DensityRatioClassifier once at construction, and weights each undesirable row's
// loss by the clipped density ratio (BCOLoss's `desirableProbability`). Here the caller passes every row's prompt
// embedding; the draws use the run's seed (TRL's use numpy's global RNG), so a resumed run refits the identical
// classifier instead of reading TRL's clf.pkl.
import AlignTensor

/// UDM settings: the prompt embeddings and BCOConfig's `prompt_sample_size`, `min_density_ratio`, `max_density_ratio`.
public struct UDMSettings: Sendable {
    /// [example][E] the prompt embedding of every training row, in data order.
    public var promptEmbeddings: [[Float]]
    /// Prompts drawn (with replacement) from each side to fit the classifier (BCOConfig default 1024).
    public var promptSampleSize = 1024
    /// Clip range of the density ratio (BCOConfig defaults 0.5 and 10).
    public var minDensityRatio = 0.5, maxDensityRatio = 10.0

    public init(promptEmbeddings: [[Float]], promptSampleSize: Int = 1024, minDensityRatio: Double = 0.5,
                maxDensityRatio: Double = 10) {
        self.promptEmbeddings = promptEmbeddings
        self.promptSampleSize = promptSampleSize
        (self.minDensityRatio, self.maxDensityRatio) = (minDensityRatio, maxDensityRatio)
    }
}

extension BCOTrainer {
    /// The classifier fitted on sampled prompts of each side (TRL BCOTrainer.__init__), drawn with `seed` (the run's).
    /// - Throws: `TrainingError.invalidConfig` for embeddings that do not match the data, a bad sample size or ratio
    ///   range, or a side without rows.
    public static func fitClassifier(_ udm: UDMSettings, data: [TokenizedUnpaired], seed: UInt64) throws -> DensityRatioClassifier {
        func bad(_ field: String, _ value: Any, _ expected: String) -> TrainingError {
            .invalidConfig(field: field, value: "\(value)", expected: expected)
        }
        guard udm.promptEmbeddings.count == data.count else {
            throw bad("prompt embeddings", "\(udm.promptEmbeddings.count) rows", "one per training row (\(data.count))")
        }
        guard udm.promptSampleSize >= 1 else { throw bad("prompt_sample_size", udm.promptSampleSize, "≥ 1") }
        guard udm.minDensityRatio > 0, udm.minDensityRatio <= udm.maxDensityRatio else {
            throw bad("min_density_ratio", "\(udm.minDensityRatio) (max \(udm.maxDensityRatio))", "0 < min_density_ratio ≤ max_density_ratio")
        }
        var g = RandomGenerator(seed: seed, stream: 0x75_646D)  // "udm": a stream of its own, apart from the data order
        var embeddings: [[Float]] = [], labels: [Bool] = []
        for side in [true, false] {
            let rows = data.indices.filter { data[$0].label == side }
            guard !rows.isEmpty else { throw bad("train_dataset", "no \(side ? "desirable" : "undesirable") rows", "both kinds for UDM") }
            for _ in 0 ..< min(rows.count, udm.promptSampleSize) {
                let pick = rows[Int(g.nextUniform() * Float(rows.count)) % rows.count]
                embeddings.append(udm.promptEmbeddings[pick])
                labels.append(side)
            }
        }
        return try DensityRatioClassifier.fit(embeddings: embeddings, labels: labels)
    }

    /// P(desirable | prompt) of the micro-batch's rows, or nil without UDM.
    func desirableProbabilities(_ indices: [Int]) -> [Double]? {
        guard let classifier, let embeddings = udm?.promptEmbeddings else { return nil }
        return indices.map { classifier.probability(embeddings[$0]) }
    }
}
