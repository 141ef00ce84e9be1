// SteeringDirection: a steering vector as a file — what `align steer build` writes and
// `align generate --steer FILE:LAYER:SCALE` reads. The file is a safetensors file with one F32 tensor
// `direction` of shape [C] and string metadata: `layer` (the block whose output the direction was read
// from, 0-based; see DecoderModel+Steering.swift for the convention), `method` (e.g. "mean-difference"),
// and the counts of positive and negative prompts. It is written atomically, so a crash never leaves
// a half-written file under the final name. Python reads it with `safetensors.torch.load_file` and
// `safe_open(...).metadata()`.
import Foundation
import AlignModels
import AlignTensor

/// A direction in a model's residual stream and the layer it belongs to.
public struct SteeringDirection: Equatable, Sendable {
    /// The tensor name in the file.
    public static let tensorName = "direction"

    /// [C] the direction.
    public var direction: [Float]
    /// The block (0-based) whose output the direction was measured at.
    public var layer: Int
    /// Other metadata kept in the file (`method`, `positives`, `negatives`, …; never `layer` or `format`).
    public var metadata: [String: String]

    /// A direction measured at `layer`.
    public init(direction: [Float], layer: Int, metadata: [String: String] = [:]) {
        self.direction = direction
        self.layer = layer
        self.metadata = metadata
    }

    /// Reads a file written by `write(to:)` (or by any safetensors writer with the same layout).
    /// - Throws: `invalidSteeringFile` naming the file when `direction` is missing or not rank 1, or
    ///   `layer` is missing or not a non-negative integer; AlignModels' errors for an unreadable file.
    public init(contentsOf url: URL) throws {
        let file = try SafetensorsFile(url: url)
        guard file.contains(Self.tensorName) else {
            throw AlignDecodingError.invalidSteeringFile(file: url.path, reason: "no tensor '\(Self.tensorName)' (found \(file.names))")
        }
        let entry = try file.entry(Self.tensorName)
        guard entry.shape.count == 1, entry.shape[0] > 0 else {
            throw AlignDecodingError.invalidSteeringFile(file: url.path, reason: "'\(Self.tensorName)' has shape \(entry.shape), expected [C]")
        }
        var meta = file.metadata ?? [:]
        guard let raw = meta["layer"], let layer = Int(raw), layer >= 0 else {
            throw AlignDecodingError.invalidSteeringFile(
                file: url.path, reason: "metadata 'layer' is \(meta["layer"].map { "'\($0)'" } ?? "missing"), expected an integer ≥ 0")
        }
        meta["layer"] = nil
        meta["format"] = nil
        self.init(direction: try file.tensor(Self.tensorName).scalars, layer: layer, metadata: meta)
    }

    /// Writes the direction atomically as safetensors (F32 `direction` [C]; metadata `format` "pt",
    /// `layer` and the rest of `metadata`).
    /// - Throws: AlignModels' `writeFailed` on I/O errors.
    public func write(to url: URL) throws {
        var meta = metadata
        meta["format"] = "pt"
        meta["layer"] = String(layer)
        let tensor = try Tensor(direction, shape: [direction.count])  // [C]
        try SafetensorsWriter.write([.init(Self.tensorName, tensor)], to: url, metadata: meta)
    }

    /// The steering term adding `scale · direction` after block `layer` (default: the file's layer).
    public func term(scale: Float, layer: Int? = nil) -> SteeringVector {
        SteeringVector(layer: layer ?? self.layer, direction: direction, scale: scale)
    }
}
