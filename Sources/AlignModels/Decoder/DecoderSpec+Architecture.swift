// DecoderSpec from a resolved ModelArchitecture (config.json → ModelRegistry → here), including the
// RoPE frequency rescaling rules of transformers' modeling_rope_utils.py ("linear", "llama3").
import AlignTensor
import Foundation

extension DecoderSpec {
    /// The decoder that computes `arch`.
    public init(architecture arch: ModelArchitecture) throws {
        let positions: PositionKind
        switch arch.positional {
        case .rope(let rope):
            let base = try Rope.inverseFrequencies(dimension: rope.dimensions, theta: rope.theta)
            positions = .rotary(inverseFrequencies: Self.rescaled(base, rope.scaling), attentionScaling: 1)
        case .learned(let p):
            positions = .learned(maxPositions: p)
        }
        let norm: NormKind
        switch arch.norm {
        case .rms(let e): norm = .rms(eps: Float(e))
        case .layer(let e): norm = .layer(eps: Float(e))
        }
        let act: Activation = [.silu: .silu, .geluTanh: .geluTanh, .gelu: .gelu, .relu: .relu][arch.activation] ?? .silu
        self.init(vocabSize: arch.vocabSize, hiddenSize: arch.hiddenSize, layers: arch.layerCount, heads: arch.headCount,
                  kvHeads: arch.kvHeadCount, headDim: arch.headDim, intermediateSize: arch.intermediateSize, norm: norm,
                  mlp: arch.mlp == .gated ? .gated : .plain, activation: act, positions: positions,
                  qkvBias: arch.qkvBias, outputBias: arch.outputBias, mlpBias: arch.mlpBias, qkNorm: arch.qkNorm,
                  tiedEmbeddings: arch.tiedEmbeddings, names: arch.family == .gpt2 ? .gpt2 : .llama)
        slidingWindow = arch.slidingWindow
        if arch.family != .gpt2, let pad = arch.padTokenId {
            // torch wraps a negative padding_idx once (−1 is the last row) and rejects one outside the table.
            let row = pad < 0 ? pad + arch.vocabSize : pad
            guard (0 ..< arch.vocabSize).contains(row) else {
                throw AlignModelsError.invalidConfig(file: "config.json", key: "pad_token_id",
                                                     reason: "\(pad) is outside the embedding table of \(arch.vocabSize) rows")
            }
            embeddingPaddingIndex = Int32(row)
        }
    }

    /// Applies a rope_scaling rule to default inverse frequencies, in Float32 as torch does.
    static func rescaled(_ inv: [Float], _ scaling: ModelArchitecture.RopeScaling) -> [Float] {
        switch scaling {
        case .none:
            return inv
        case .linear(let factor):
            return inv.map { $0 / Float(factor) }
        case let .llama3(factor, low, high, original):
            // _compute_llama3_parameters: long wavelengths (> original/low) are divided by `factor`,
            // short ones (< original/high) kept, and the band between blended linearly in 1/wavelength.
            let (f, lo, hi, old) = (Float(factor), Float(low), Float(high), Float(original))
            let lowWavelen = old / lo, highWavelen = old / hi
            return inv.map { freq in
                let wavelen = 2 * Float.pi / freq
                let scaled = wavelen > lowWavelen ? freq / f : freq
                let medium = !(wavelen < highWavelen) && !(wavelen > lowWavelen)
                guard medium else { return scaled }
                let smooth = (old / wavelen - lo) / (hi - lo)
                return (1 - smooth) * scaled / f + smooth * scaled
            }
        }
    }
}

extension DecoderModel {
    /// Loads a Hugging Face model folder: config.json resolved by `ModelRegistry`, then the weights.
    public static func load(directory: URL, strict: Bool = true) throws -> DecoderModel {
        let arch = try ModelRegistry.architecture(contentsOf: directory.appendingPathComponent("config.json"))
        return try load(spec: try DecoderSpec(architecture: arch), directory: directory, strict: strict)
    }
}
