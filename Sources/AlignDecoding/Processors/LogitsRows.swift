
extension AlignDecodingError {
    /// The `min_tokens_to_keep` rule every filtering warper shares (transformers: a positive integer).
    static func checkMinTokensToKeep(_ n: Int) throws {
        guard n >= 1 else {
            throw AlignDecodingError.invalidParameter(parameter: "min_tokens_to_keep", value: "\(n)", expected: "an integer >= 1")
        }
    }
}
