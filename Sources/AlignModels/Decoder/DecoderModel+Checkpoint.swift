// Loading and saving a DecoderModel's weights under transformers' checkpoint names. Every
// expected tensor must be present with its exact shape, and (strict) nothing else may be —
// an unknown tensor is an error naming it, never skipped. GPT-2's fused c_attn ([C, 3C] Conv1D)
// is split into q/k/v on load and fused again on save, so files round-trip unchanged.
import AlignTensor
import Foundation

extension DecoderModel {
    /// Copies weights from `checkpoint` into this model's parameters.
    /// - Throws: `AlignModelsError.missingTensor`, `.shapeMismatch`, `.unexpectedTensors` (strict).
    public func loadWeights(from checkpoint: SafetensorsCheckpoint, strict: Bool = true) throws {
        var expected = Dictionary(uniqueKeysWithValues: storedParameters().map { ($0.0, $0.1.shape) })
        var names = Set(checkpoint.names)
        // A tied checkpoint may still carry lm_head.weight (some exporters write it); like transformers,
        // the tie wins and the copy is not read.
        if spec.tiedEmbeddings && names.contains("lm_head.weight") { names.remove("lm_head.weight") }
        let unexpected = names.subtracting(expected.keys).sorted()
        if strict && !unexpected.isEmpty {
            throw AlignModelsError.unexpectedTensors(names: unexpected, file: checkpoint.directory.path)
        }
        for name in expected.keys.sorted() where !names.contains(name) {
            throw AlignModelsError.missingTensor(name: name, file: checkpoint.directory.path)
        }
        let loaded = try checkpoint.load(expected: expected, strict: false)
        expected.removeAll()
        try assignStored(loaded)
    }

    /// Loads `config`-described weights from a Hugging Face model folder.
    public static func load(spec: DecoderSpec, directory: URL, strict: Bool = true) throws -> DecoderModel {
        let model = DecoderModel(spec: spec)
        try model.loadWeights(from: SafetensorsCheckpoint(directory: directory), strict: strict)
        return model
    }

    /// Writes the weights as `model.safetensors` in `directory` (atomically), in transformers' names.
    public func saveWeights(to directory: URL) throws {
        let entries = storedParameters().map { SafetensorsWriter.Entry($0.0, $0.1) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try SafetensorsWriter.write(entries, to: directory.appendingPathComponent("model.safetensors"))
    }

    /// Parameters as the checkpoint stores them: `namedParameters()`, with GPT-2's q/k/v fused into c_attn.
    func storedParameters() -> [(String, Tensor)] {
        guard spec.names == .gpt2 else { return namedParameters() }
        var out: [(String, Tensor)] = []
        for (name, t) in namedParameters() {
            if name.hasSuffix("attn.q_proj.weight") || name.hasSuffix("attn.q_proj.bias") {
                let isWeight = name.hasSuffix("weight")
                let block = blocks[Int(name.split(separator: ".")[2]) ?? 0].attention
                let fused = isWeight
                    ? Self.concatColumns([block.q.weight, block.k.weight, block.v.weight])
                    : Self.concatColumns([block.q.bias, block.k.bias, block.v.bias].compactMap { $0 })
                out.append((name.replacingOccurrences(of: "q_proj", with: "c_attn"), fused))
            } else if name.contains("attn.k_proj.") || name.contains("attn.v_proj.") {
                continue
            } else {
                out.append((name.replacingOccurrences(of: "attn.o_proj", with: "attn.c_proj"), t))
            }
        }
        return out
    }

    /// Copies stored tensors into parameters, splitting GPT-2's c_attn back into q/k/v.
    func assignStored(_ loaded: [String: Tensor]) throws {
        let params = Dictionary(uniqueKeysWithValues: namedParameters())
        for (name, t) in loaded {
            if spec.names == .gpt2 && name.contains("attn.c_attn.") {
                let block = blocks[Int(name.split(separator: ".")[2]) ?? 0].attention
                let parts = Self.splitColumns(t, into: 3)
                let targets = name.hasSuffix("weight") ? [block.q.weight, block.k.weight, block.v.weight]
                    : [block.q.bias, block.k.bias, block.v.bias].compactMap { $0 }
                for (dst, src) in zip(targets, parts) { dst.assign(src) }
                continue
            }
            let key = name.replacingOccurrences(of: "attn.c_proj", with: "attn.o_proj")
            guard let dst = params[key] else { throw AlignModelsError.missingTensor(name: key, file: "model parameters") }
            dst.assign(t)
        }
    }

    /// Concatenates along the last dimension ([R, a] + [R, b] → [R, a + b]; 1-D vectors too).
    static func concatColumns(_ parts: [Tensor]) -> Tensor {
        let rows = parts[0].rank == 1 ? 1 : parts[0].shape[0]
        let widths = parts.map { $0.count / rows }
        let total = widths.reduce(0, +)
        let out = Tensor(zeros: parts[0].rank == 1 ? [total] : [rows, total])
        out.withUnsafeMutableBuffer { po in
            var col = 0
            for (p, w) in zip(parts, widths) {
                p.withUnsafeBuffer { src in for r in 0 ..< rows { for j in 0 ..< w { po[r * total + col + j] = src[r * w + j] } } }
                col += w
            }
        }
        return out
    }

    /// Splits the last dimension into `n` equal parts (inverse of `concatColumns`).
    static func splitColumns(_ t: Tensor, into n: Int) -> [Tensor] {
        let rows = t.rank == 1 ? 1 : t.shape[0]
        let total = t.count / rows, w = total / n
        return (0 ..< n).map { k in
            let out = Tensor(zeros: t.rank == 1 ? [w] : [rows, w])
            t.withUnsafeBuffer { src in out.withUnsafeMutableBuffer { po in
                for r in 0 ..< rows { for j in 0 ..< w { po[r * w + j] = src[r * total + k * w + j] } }
            } }
            return out
        }
    }
}
