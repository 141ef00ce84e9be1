// GenerateParameters+Codable: decoding from generation_config.json / request JSON, where every key
// is optional (missing = transformers' default) and `eos_token_id` may be an int or a list.

extension GenerateParameters {
    public init(from decoder: Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func read<T: Decodable>(_ key: CodingKeys, _ value: inout T) throws {
            if let v = try c.decodeIfPresent(T.self, forKey: key) { value = v }
        }
        try read(.maxNewTokens, &maxNewTokens)
        try read(.minNewTokens, &minNewTokens)
        try read(.doSample, &doSample)
        try read(.temperature, &temperature)
        try read(.topK, &topK)
        try read(.topP, &topP)
        minP = try c.decodeIfPresent(Float.self, forKey: .minP)
        try read(.typicalP, &typicalP)
        try read(.repetitionPenalty, &repetitionPenalty)
        try read(.frequencyPenalty, &frequencyPenalty)
        try read(.presencePenalty, &presencePenalty)
        if let bias = try c.decodeIfPresent([String: Float].self, forKey: .logitBias) {
            logitBias = try Dictionary(uniqueKeysWithValues: bias.map { key, value in
                guard let id = Int32(key) else {
                    throw DecodingError.dataCorruptedError(forKey: .logitBias, in: c,
                                                           debugDescription: "logit_bias key '\(key)' is not a token id")
                }
                return (id, value)
            })
        }
        try read(.sequenceBias, &sequenceBias)
        try read(.noRepeatNgramSize, &noRepeatNgramSize)
        try read(.badWordsIds, &badWordsIds)
        if let one = try? c.decodeIfPresent(Int32.self, forKey: .eosTokenIds) {
            eosTokenIds = [one]
        } else {
            try read(.eosTokenIds, &eosTokenIds)
        }
        padTokenId = try c.decodeIfPresent(Int32.self, forKey: .padTokenId)
        try read(.stopStrings, &stopStrings)
        try read(.seed, &seed)
        try read(.numBeams, &numBeams)
        try read(.lengthPenalty, &lengthPenalty)
        try read(.earlyStopping, &earlyStopping)
    }
}

extension GenerateParameters {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(maxNewTokens, forKey: .maxNewTokens)
        try c.encode(minNewTokens, forKey: .minNewTokens)
        try c.encode(doSample, forKey: .doSample)
        try c.encode(temperature, forKey: .temperature)
        try c.encode(topK, forKey: .topK)
        try c.encode(topP, forKey: .topP)
        try c.encodeIfPresent(minP, forKey: .minP)
        try c.encode(typicalP, forKey: .typicalP)
        try c.encode(repetitionPenalty, forKey: .repetitionPenalty)
        try c.encode(frequencyPenalty, forKey: .frequencyPenalty)
        try c.encode(presencePenalty, forKey: .presencePenalty)
        // OpenAI's wire form: string token ids as keys.
        try c.encode(Dictionary(uniqueKeysWithValues: logitBias.map { (String($0.key), $0.value) }), forKey: .logitBias)
        try c.encode(sequenceBias, forKey: .sequenceBias)
        try c.encode(noRepeatNgramSize, forKey: .noRepeatNgramSize)
        try c.encode(badWordsIds, forKey: .badWordsIds)
        try c.encode(eosTokenIds, forKey: .eosTokenIds)
        try c.encodeIfPresent(padTokenId, forKey: .padTokenId)
        try c.encode(stopStrings, forKey: .stopStrings)
        try c.encode(seed, forKey: .seed)
        try c.encode(numBeams, forKey: .numBeams)
        try c.encode(lengthPenalty, forKey: .lengthPenalty)
        try c.encode(earlyStopping, forKey: .earlyStopping)
    }
}
