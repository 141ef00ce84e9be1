// TokenVocabulary validation and the trie's packed node words: a hand-built vocabulary whose trie layout is
// known node by node, and the typed errors for a vocabulary the engine cannot index.
import Testing
@testable import AlignGrammar

@Suite("Token vocabulary and trie layout")
struct TokenVocabularyTests {
    @Test("packed node words give each node's byte, depth, subtree end and token flag in depth-first order")
    func packedLayout() {
        // Sorted: "a", "ab", "abc", "b"; "" (a special token) is left out. Nodes: 0 root, 1 a, 2 ab, 3 abc, 4 b.
        let trie = TokenTrie(tokens: [Array("ab".utf8), Array("b".utf8), [], Array("a".utf8), Array("abc".utf8)])
        #expect(trie.nodeCount == 5)
        #expect((1..<5).map { trie.byte($0) } == Array("abcb".utf8))
        #expect((0..<5).map { trie.depth($0) } == [0, 1, 2, 3, 1])
        #expect((0..<5).map { trie.next($0) } == [5, 4, 4, 4, 5])
        #expect((0..<5).map { TokenTrie.hasTokens(trie.packed[$0]) } == [false, true, true, true, true])
        #expect(trie.rootChild[Int(UInt8(ascii: "a"))] == 1 && trie.rootChild[Int(UInt8(ascii: "b"))] == 4)
        #expect(trie.maxDepth == 3)
        // Child index: root → a, b; a → ab; ab → abc; abc and b are leaves.
        #expect(trie.kidStart == [0, 2, 3, 4, 4, 4])
        #expect(trie.kidByte == Array("abbc".utf8))
        #expect(trie.kidNode.map(TokenTrie.kidId) == [1, 4, 2, 3])
        #expect(trie.kidNode.map(TokenTrie.kidHasTokens) == [true, true, true, true])
        #expect(trie.kidNode.map(TokenTrie.kidHasKids) == [true, false, true, false])
    }

    @Test("the child index flags a prefix node that ends no token")
    func childIndexFlags() {
        // "xy", "xz": node x ends no token and has two children.
        let trie = TokenTrie(tokens: [Array("xy".utf8), Array("xz".utf8)])
        #expect(trie.kidStart == [0, 1, 3, 3, 3])
        #expect(trie.kidNode.map(TokenTrie.kidId) == [1, 2, 3])
        #expect(trie.kidNode.map(TokenTrie.kidHasTokens) == [false, true, true])
        #expect(trie.kidNode.map(TokenTrie.kidHasKids) == [true, false, false])
    }

    @Test("a vocabulary the engine cannot index is a typed error naming the token or id")
    func invalidVocabularies() {
        #expect(throws: AlignGrammarError.invalidVocabulary(message: "logit dimension 1 < vocabulary size 2")) {
            try TokenVocabulary(tokens: [[1], [2]], logitDimension: 1, eosTokenIds: [])
        }
        #expect(throws: AlignGrammarError.invalidVocabulary(message: "EOS id 5 outside 0..<2")) {
            try TokenVocabulary(tokens: [[1], [2]], eosTokenIds: [5])
        }
        let long = [UInt8](repeating: 0x61, count: TokenTrie.maxTokenBytes + 1)
        #expect(throws: AlignGrammarError.invalidVocabulary(
            message: "token 1 has \(long.count) bytes, more than the \(TokenTrie.maxTokenBytes) a trie node's depth holds")) {
            try TokenVocabulary(tokens: [[1], long], eosTokenIds: [])
        }
        // 129 tokens of the longest length share one buffer, so this costs 8 MB, not 1 GB.
        let longest = [UInt8](repeating: 0x61, count: TokenTrie.maxTokenBytes)
        let many = [[UInt8]](repeating: longest, count: 129)
        #expect(throws: AlignGrammarError.invalidVocabulary(
            message: "the tokens have \(129 * longest.count) bytes in all, more than the \(TokenTrie.maxTotalBytes) a trie indexes")) {
            try TokenVocabulary(tokens: many, eosTokenIds: [])
        }
    }
}
