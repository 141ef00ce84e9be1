// Tokenizer+TokenBytes: an AlignTokenizers tokenizer as the loop's `TokenBytes` — each id's exact
// bytes from the tokenizer's byte table (byte-level BPE through GPT-2's byte map, SentencePiece ▁ as
// a space and <0xNN> fallback bytes, added tokens as their UTF-8), which is what transformers'
// incremental `TextStreamer` ends up printing once the bytes form whole characters.

import AlignTokenizers

extension Tokenizer: TokenBytes {
    public func bytes(of token: Int32) -> [UInt8] {
        let table = tokenBytes
        return token >= 0 && Int(token) < table.count ? table[Int(token)] : []
    }
}
