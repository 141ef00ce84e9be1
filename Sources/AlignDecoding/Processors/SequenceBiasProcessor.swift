// SequenceBiasProcessor: additive biases on token sequences — transformers 5.23
// `SequenceBiasLogitsProcessor`, which also serves OpenAI's `logit_bias` (single-token sequences)
// and `NoBadWordsLogitsProcessor` (bias −inf; `badWords(_:eosTokenIds:)`). A length-1 sequence is
// always biased; a longer one biases its last token when the row's history ends with its prefix.
// The bias vector is summed in transformers' order (length-1 entries, then groups by prefix
// length in first-appearance order) and then added to the logits once.

/// Adds a bias to the last token of every sequence the next token could complete.
public struct SequenceBiasProcessor: LogitsProcessor {
    /// (sequence, bias) pairs, deduplicated by sequence (the last given bias wins, as a Python dict).
    public let biases: [(sequence: [Int32], bias: Float)]

    /// - Throws: `invalidParameter` on an empty list, an empty sequence or a negative id.
    public init(_ biases: [(sequence: [Int32], bias: Float)], parameter: String = "sequence_bias") throws {
        guard !biases.isEmpty else {
            throw AlignDecodingError.invalidParameter(parameter: parameter, value: "[]", expected: "a non-empty list")
        }
        var order: [[Int32]] = []
        var values: [[Int32]: Float] = [:]
        for (sequence, bias) in biases {
            guard !sequence.isEmpty, sequence.allSatisfy({ $0 >= 0 }) else {
                throw AlignDecodingError.invalidParameter(
                    parameter: parameter, value: "\(sequence)", expected: "non-empty sequences of ids >= 0")
            }
            if values[sequence] == nil { order.append(sequence) }
            values[sequence] = bias
        }
        self.biases = order.map { ($0, values[$0] ?? 0) }
    }

    /// transformers' `NoBadWordsLogitsProcessor`: each sequence gets bias −inf; single-token
    /// sequences equal to an EOS id are dropped first.
    public static func badWords(_ sequences: [[Int32]], eosTokenIds: [Int32]) throws -> SequenceBiasProcessor {
        guard !sequences.isEmpty else {
            throw AlignDecodingError.invalidParameter(parameter: "bad_words_ids", value: "[]", expected: "a non-empty list")
        }
        let kept = sequences.filter { seq in !eosTokenIds.contains { seq == [$0] } }
        return try SequenceBiasProcessor(kept.map { ($0, -Float.infinity) }, parameter: "bad_words_ids")
    }

    public func process(_ logits: UnsafeMutableBufferPointer<Float>, vocabularySize: Int,
                        histories: [TokenHistory]) throws {
        for (sequence, _) in biases {
            if let bad = sequence.first(where: { Int($0) >= vocabularySize }) {
                throw AlignDecodingError.tokenOutOfVocabulary(
                    parameter: "sequence_bias", token: Int(bad), vocabularySize: vocabularySize)
            }
        }
        var bias = [Float](repeating: 0, count: vocabularySize)
        let groups = prefixLengthGroups()
        LogitsRows.forEach(logits, vocabularySize: vocabularySize) { b, row in
            for i in 0..<vocabularySize { bias[i] = 0 }
            for (sequence, value) in biases where sequence.count == 1 { bias[Int(sequence[0])] = value }
            let ids = histories[b].tokens
            for group in groups {
                for (sequence, value) in group where sequence.count - 1 <= ids.count {
                    let prefix = sequence.dropLast()
                    if ids.suffix(prefix.count).elementsEqual(prefix) {
                        bias[Int(sequence[sequence.count - 1])] += value
                    }
                }
            }
            for i in 0..<vocabularySize { row[i] += bias[i] }
        }
    }

    /// Multi-token sequences grouped by prefix length, groups in order of first appearance.
    private func prefixLengthGroups() -> [[(sequence: [Int32], bias: Float)]] {
        var groups: [[(sequence: [Int32], bias: Float)]] = []
        var groupIndex: [Int: Int] = [:]
        for entry in biases where entry.sequence.count > 1 {
            let key = entry.sequence.count - 1
            if let g = groupIndex[key] {
                groups[g].append(entry)
            } else {
                groupIndex[key] = groups.count
                groups.append([entry])
            }
        }
        return groups
    }
}
