// DecoderModel+Steering: activation steering (representation engineering) — a direction vector,
// scaled by a coefficient, added to the residual stream after a chosen block at every position, the
// prompt included, in every forward pass (prefill and each decoding step, training forwards too).
// It mirrors ActAdd (Turner et al., "Steering Language Models With Activation Engineering", arXiv
// 2308.10248) and CAA (Rimsky et al., "Steering Llama 2 via Contrastive Activation Addition", arXiv
// 2312.06681, which adds its vector "at all token positions after the user's prompt"; here, as in
// their released code's option of steering every position and as a transformers forward hook does,
// the prompt positions are steered too); RepE (Zou et al., arXiv 2310.01405) reads and adds
// directions the same way.
//
// Convention — "the residual stream at layer L" is the output of decoder block L (0-based): the
// value a forward hook on transformers' `model.model.layers[L]` returns, which is
// `output_hidden_states[L + 1]` for every block but the last (transformers 5.x puts the final-norm
// output in the last slot instead). Steering at layer L adds to that value before block L + 1 (or the
// final norm) reads it. scripts/fixtures/steering_fixture.py is the witness.
//
// Left out: steering at other sites (attention or MLP outputs, before the norm of a block), position-
// selective steering and directional ablation; a term list applies to every row of a batch alike.
import AlignTensor

/// One steering term: `scale · direction` added to the output of block `layer` at every position.
public struct SteeringVector: Equatable, Sendable {
    /// The block (0-based) whose output is changed.
    public var layer: Int
    /// [C] the direction, in the residual stream's units (not normalized here).
    public var direction: [Float]
    /// The coefficient (0 = no change; negative = the opposite direction).
    public var scale: Float

    /// A term adding `scale · direction` after block `layer`.
    public init(layer: Int, direction: [Float], scale: Float) {
        self.layer = layer
        self.direction = direction
        self.scale = scale
    }
}

/// A model's steering terms and, per layer, their sum Σ scale · direction as a [C] tensor.
public struct ResidualSteering {
    /// The terms, as given to `setSteering`.
    public let terms: [SteeringVector]
    /// layer → [C] sum of the layer's scaled directions.
    let offsets: [Int: Tensor]

    /// No steering.
    public init() {
        terms = []
        offsets = [:]
    }

    /// Terms already validated against the model.
    init(validated terms: [SteeringVector], hiddenSize c: Int) {
        self.terms = terms
        var sums: [Int: Tensor] = [:]
        for t in terms {
            let s = sums[t.layer] ?? Tensor(zeros: [c])  // [C]
            // Float32 products, as a hook's `scale * direction` in torch float32 computes them.
            s.withUnsafeMutableBuffer { p in for j in 0 ..< c { p[j] += t.scale * t.direction[j] } }
            sums[t.layer] = s
        }
        offsets = sums
    }

    /// True when no term is set.
    public var isEmpty: Bool { terms.isEmpty }

    /// h [B, T, C] (block `layer`'s output) + the layer's offset broadcast over B and T; h itself when
    /// no term steers this layer.
    func apply(to h: Tensor, layer: Int) -> Tensor {
        guard let offset = offsets[layer] else { return h }
        return h + offset
    }
}

extension DecoderModel {
    /// Sets the steering terms every later forward pass applies (replacing earlier ones); `[]` turns
    /// steering off. Several terms may share a layer (their scaled directions add up).
    ///
    ///     try model.setSteering([SteeringVector(layer: 1, direction: d, scale: 4)])
    ///
    /// - Throws: `AlignModelsError.invalidSteering` naming the term when its layer is not a block of
    ///   the model, its direction does not have `hiddenSize` values, or a value is not finite.
    public func setSteering(_ terms: [SteeringVector]) throws {
        let c = spec.hiddenSize
        for (i, t) in terms.enumerated() {
            guard (0 ..< blocks.count).contains(t.layer) else {
                throw AlignModelsError.invalidSteering(term: i, reason: "layer \(t.layer) is not a block of this model (0..<\(blocks.count))")
            }
            guard t.direction.count == c else {
                throw AlignModelsError.invalidSteering(term: i, reason: "direction has \(t.direction.count) values, hidden_size is \(c)")
            }
            guard t.scale.isFinite, t.direction.allSatisfy(\.isFinite) else {
                throw AlignModelsError.invalidSteering(term: i, reason: "scale and direction must be finite")
            }
        }
        steering = ResidualSteering(validated: terms, hiddenSize: c)
    }

    /// The residual stream after block `layer`, [B, T, C]: the output of `model.model.layers[layer]`
    /// in transformers (`output_hidden_states[layer + 1]` for all but the last block), with the
    /// model's steering applied up to and including that layer. Only blocks `0...layer` run.
    /// - Parameters: as `hiddenStates` (no cache).
    /// - Throws: `AlignModelsError.invalidSteering` for a layer outside the model; the forward's errors.
    public func residualStream(_ ids: [[Int32]], layer: Int, attentionMask: [[Int32]]? = nil,
                               positions: [[Int]]? = nil) throws -> Tensor {
        guard (0 ..< blocks.count).contains(layer) else {
            throw AlignModelsError.invalidSteering(term: 0, reason: "layer \(layer) is not a block of this model (0..<\(blocks.count))")
        }
        return try residualStream(ids, attentionMask: attentionMask, positions: positions, cache: nil,
                                  blockCount: layer + 1)
    }
}
