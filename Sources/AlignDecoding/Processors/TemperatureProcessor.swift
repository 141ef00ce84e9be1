// TemperatureProcessor: divides logits by the temperature — transformers 5.23
// `TemperatureLogitsWarper` (generation/logits_process.py). Temperature 0 is not a warper but
// greedy decoding, as transformers' own error message says; it is rejected here.

/// `logits /= temperature` on every entry.
public struct TemperatureProcessor: LogitsProcessor {
    /// The strictly positive temperature.
    public let temperature: Float

    /// - Throws: `invalidParameter` unless `temperature > 0` and finite.
    public init(temperature: Float) throws {
        guard temperature > 0, temperature.isFinite else {
            throw AlignDecodingError.invalidParameter(
                parameter: "temperature", value: "\(temperature)",
                expected: "a finite value > 0 (use greedy decoding for temperature 0)")
        }
        self.temperature = temperature
    }

    public func process(_ logits: UnsafeMutableBufferPointer<Float>, vocabularySize: Int,
                        histories: [TokenHistory]) {
        // torch divides by a scalar as a multiply by its float32 reciprocal (ATen div_true_kernel).
        let inverse = 1 / temperature
        for i in 0..<logits.count { logits[i] *= inverse }
    }
}
