// GenerateParameters: every knob of the generation loop in one Codable struct, keyed by the names
// of transformers' generation_config.json (and OpenAI's for the penalties and logit bias), with the
// same defaults. `makeProcessors` builds the processor list in the order transformers 5.23's
// GenerationMixin._get_logits_processor does — sequence bias (with logit_bias folded in),
// repetition penalty, no-repeat-ngram, bad words, min-new-tokens, then, when sampling, the warpers
// temperature, top-k, top-p, min-p, typical — with two AlignKit additions in documented places:
// the OpenAI frequency/presence penalties right after the repetition penalty, and caller-supplied
// processors (the grammar mask) after the processors and before the warpers, so that top-p and
// friends renormalize among allowed tokens only.

/// Parameters of one generation request.
public struct GenerateParameters: Codable, Equatable, Sendable {
    /// Maximum number of generated tokens (finish reason "length").
    public var maxNewTokens: Int = 20
    /// EOS is suppressed until this many tokens were generated.
    public var minNewTokens: Int = 0
    /// Sample (true) or take the argmax / beam search (false), as transformers' `do_sample`.
    public var doSample: Bool = false
    /// Softmax temperature (sampling only); 1 disables.
    public var temperature: Float = 1
    /// Keep the k most probable tokens (sampling only); 0 disables. transformers' default is 50.
    public var topK: Int = 50
    /// Nucleus mass (sampling only); 1 disables.
    public var topP: Double = 1
    /// Min-p threshold (sampling only); nil disables.
    public var minP: Float?
    /// Typical mass (sampling only); 1 disables.
    public var typicalP: Float = 1
    /// CTRL repetition penalty on prompt + generated tokens; 1 disables.
    public var repetitionPenalty: Float = 1
    /// OpenAI frequency penalty on generated tokens; 0 disables.
    public var frequencyPenalty: Float = 0
    /// OpenAI presence penalty on generated tokens; 0 disables.
    public var presencePenalty: Float = 0
    /// OpenAI logit_bias: token id → additive bias.
    public var logitBias: [Int32: Float] = [:]
    /// transformers' sequence_bias: (sequence, bias) pairs.
    public var sequenceBias: [SequenceBiasEntry] = []
    /// Forbid repeating any n-gram of this size; 0 disables.
    public var noRepeatNgramSize: Int = 0
    /// Token sequences that must never be generated.
    public var badWordsIds: [[Int32]] = []
    /// End-of-sequence ids (generation_config.json's eos_token_id, int or list).
    public var eosTokenIds: [Int32] = []
    /// Id fed to finished rows; defaults to the first EOS id, as transformers.
    public var padTokenId: Int32?
    /// Strings that end a row when they appear in the decoded text (not included in the text).
    public var stopStrings: [String] = []
    /// Seed of the sampler's Philox streams (row b uses stream b).
    public var seed: UInt64 = 0
    /// Beam count for beam search (1 = no beam search).
    public var numBeams: Int = 1
    /// Exponent of the beam score's length normalisation (score / length^length_penalty).
    public var lengthPenalty: Float = 1
    /// transformers' early_stopping (true, false or "never").
    public var earlyStopping: EarlyStopping = .heuristic

    /// All defaults (transformers' GenerationConfig defaults, 20 new tokens).
    public init() {}

    /// One `sequence_bias` entry.
    public struct SequenceBiasEntry: Codable, Equatable, Sendable {
        /// The token sequence.
        public var sequence: [Int32]
        /// The additive bias on its last token.
        public var bias: Float
        /// Creates an entry.
        public init(sequence: [Int32], bias: Float) {
            self.sequence = sequence
            self.bias = bias
        }
    }

    enum CodingKeys: String, CodingKey {
        case maxNewTokens = "max_new_tokens", minNewTokens = "min_new_tokens", doSample = "do_sample"
        case temperature, topK = "top_k", topP = "top_p", minP = "min_p", typicalP = "typical_p"
        case repetitionPenalty = "repetition_penalty", frequencyPenalty = "frequency_penalty"
        case presencePenalty = "presence_penalty", logitBias = "logit_bias", sequenceBias = "sequence_bias"
        case noRepeatNgramSize = "no_repeat_ngram_size", badWordsIds = "bad_words_ids"
        case eosTokenIds = "eos_token_id", padTokenId = "pad_token_id", stopStrings = "stop_strings", seed
        case numBeams = "num_beams", lengthPenalty = "length_penalty", earlyStopping = "early_stopping"
    }

    /// The id finished rows receive: `pad_token_id`, else the first EOS id, else 0.
    public var effectivePadTokenId: Int32 { padTokenId ?? eosTokenIds.first ?? 0 }

    /// Checks ranges and cross-field constraints.
    /// - Throws: `invalidParameter` naming the first bad field.
    public func validate() throws {
        func bad(_ name: String, _ value: Any, _ expected: String) -> AlignDecodingError {
            .invalidParameter(parameter: name, value: "\(value)", expected: expected)
        }
        guard maxNewTokens >= 0 else { throw bad("max_new_tokens", maxNewTokens, "an integer >= 0") }
        guard minNewTokens >= 0 else { throw bad("min_new_tokens", minNewTokens, "an integer >= 0") }
        guard topK >= 0 else { throw bad("top_k", topK, "an integer >= 0 (0 disables)") }
        guard numBeams >= 1 else { throw bad("num_beams", numBeams, "an integer >= 1") }
        guard !(doSample && numBeams > 1) else {
            throw bad("num_beams", numBeams, "1 when do_sample is true (beam sampling is not supported)")
        }
        guard noRepeatNgramSize >= 0 else { throw bad("no_repeat_ngram_size", noRepeatNgramSize, "an integer >= 0") }
        // Checked even when a value is inert (e.g. top_p > 1 would silently mean "off" otherwise).
        guard !doSample || (temperature > 0 && temperature.isFinite) else {
            throw bad("temperature", temperature, "a finite value > 0 when sampling (greedy: do_sample false)")
        }
        guard topP >= 0, topP <= 1 else { throw bad("top_p", topP, "a value in [0, 1]") }
        guard typicalP > 0, typicalP <= 1 else { throw bad("typical_p", typicalP, "a value in (0, 1]") }
        guard lengthPenalty.isFinite else { throw bad("length_penalty", lengthPenalty, "a finite value") }
        // The constructors of the processors check the remaining ranges.
        _ = try makeProcessors(extra: [])
    }
}

/// transformers' `early_stopping`: `true`, `false` or `"never"`.
public enum EarlyStopping: Codable, Equatable, Sendable {
    /// `True`: stop as soon as `num_beams` hypotheses are finished.
    case always
    /// `False`: stop when the best running beam, at the current length, cannot beat the worst finished one.
    case heuristic
    /// `"never"`: like `false`, but with a positive length penalty assume the longest possible length.
    case never

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) {
            self = b ? .always : .heuristic
        } else if let s = try? c.decode(String.self), s == "never" {
            self = .never
        } else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "early_stopping: expected true, false or \"never\"")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .always: try c.encode(true)
        case .heuristic: try c.encode(false)
        case .never: try c.encode("never")
        }
    }
}
