// TokenIDs: a config token-id field that Hugging Face writes either as one integer or as a list
// (Llama-3-Instruct's `eos_token_id: [128001, 128008, 128009]`), or as null.

/// One or several token ids, as config.json / generation_config.json store them.
public struct TokenIDs: Decodable, Equatable, Sendable, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral {
    /// The ids, in file order (one element for the integer form).
    public let ids: [Int]

    /// Ids in order.
    public init(_ ids: [Int]) { self.ids = ids }
    /// A single id.
    public init(integerLiteral value: Int) { ids = [value] }
    /// Several ids.
    public init(arrayLiteral elements: Int...) { ids = elements }

    /// The first id (what code that needs a single id, like a BOS token, uses).
    public var first: Int? { ids.first }

    /// Decodes an integer or a list of integers.
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let one = try? c.decode(Int.self) {
            ids = [one]
        } else if let many = try? c.decode([Int].self) {
            ids = many
        } else {
            throw DecodingError.typeMismatch(TokenIDs.self, .init(
                codingPath: decoder.codingPath, debugDescription: "expected a token id or a list of token ids"))
        }
    }
}
