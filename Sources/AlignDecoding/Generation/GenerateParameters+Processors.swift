// GenerateParameters+Processors: the processor list `generate` applies, in transformers 5.23's
// order (see GenerateParameters.swift's header for the two documented AlignKit additions).

extension GenerateParameters {
    /// Builds the processors (and, when `doSample`, the warpers) these parameters ask for.
    ///
    /// - Parameter extra: caller processors (e.g. the grammar bitmask), applied after the
    ///   processors and before the warpers.
    /// - Throws: `invalidParameter` if a value is out of its range.
    public func makeProcessors(extra: [any LogitsProcessor]) throws -> [any LogitsProcessor] {
        var list: [any LogitsProcessor] = []
        let biases = sequenceBias.map { ($0.sequence, $0.bias) }
            + logitBias.keys.sorted().map { ([$0], logitBias[$0] ?? 0) }
        if !biases.isEmpty { list.append(try SequenceBiasProcessor(biases)) }
        if repetitionPenalty != 1 { list.append(try RepetitionPenaltyProcessor(penalty: repetitionPenalty)) }
        if frequencyPenalty != 0 || presencePenalty != 0 {
            list.append(try FrequencyPresencePenaltyProcessor(frequencyPenalty: frequencyPenalty,
                                                              presencePenalty: presencePenalty))
        }
        if noRepeatNgramSize > 0 { list.append(try NoRepeatNGramProcessor(ngramSize: noRepeatNgramSize)) }
        if !badWordsIds.isEmpty { list.append(try SequenceBiasProcessor.badWords(badWordsIds, eosTokenIds: eosTokenIds)) }
        if minNewTokens > 0 && !eosTokenIds.isEmpty {
            list.append(try MinNewTokensProcessor(minNewTokens: minNewTokens, eosTokenIds: eosTokenIds))
        }
        list += extra
        guard doSample else { return list }
        if temperature != 1 { list.append(try TemperatureProcessor(temperature: temperature)) }
        if topK != 0 { list.append(try TopKProcessor(topK: topK)) }
        if topP < 1 { list.append(try TopPProcessor(topP: topP)) }
        if let minP { list.append(try MinPProcessor(minP: minP)) }
        if typicalP < 1 { list.append(try TypicalProcessor(mass: typicalP)) }
        return list
    }
}
