// SteerInputs: what the steering commands read besides the model — `--steer FILE:LAYER:SCALE` terms
// (FILE as written by `align steer build`; LAYER the block to add it after, which may differ from the
// layer it was measured at; SCALE the coefficient) and `--scales 0,2,4,8` lists. FILE may itself
// contain ':' (the last two fields are LAYER and SCALE). Errors name the option and the text.
import ArgumentParser
import Foundation
import AlignDecoding
import AlignModels

/// Parses --steer and --scales.
enum SteerSpec {
    /// The steering terms of every `FILE:LAYER:SCALE` spec, in order.
    static func terms(_ specs: [String]) throws -> [SteeringVector] {
        try specs.map { spec in
            let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 3, let layer = Int(parts[parts.count - 2]), let scale = Float(parts[parts.count - 1]),
                  scale.isFinite else {
                throw ValidationError("--steer \(spec): expected FILE:LAYER:SCALE (an integer layer and a number)")
            }
            let file = parts.dropLast(2).joined(separator: ":")
            return try SteeringDirection(contentsOf: URL(fileURLWithPath: file)).term(scale: scale, layer: layer)
        }
    }

    /// `0,2,4,8` → [0, 2, 4, 8].
    static func scales(_ text: String) throws -> [Float] {
        let values = text.split(separator: ",").map { Float($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0?.isFinite == true }) else {
            throw ValidationError("--scales \(text): expected comma-separated numbers, e.g. 0,2,4,8")
        }
        return values.compactMap { $0 }
    }
}
