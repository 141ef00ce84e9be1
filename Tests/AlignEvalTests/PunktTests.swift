// Punkt sentence splitting and NLTK word tokenization on hand-made cases. Expected outputs are what
// nltk 3.10.4's `sent_tokenize` / `word_tokenize` return for them (checked with the punkt_tab English model).
import Testing
import AlignEval

@Suite("Punkt and word_tokenize")
struct PunktTests {
    @Test("abbreviations, initials, numbers and closing quotes are handled as nltk does")
    func sentences() throws {
        let punkt = try SharedTools.tools.get().punkt
        #expect(punkt.sentences(in: "Mr. Smith went to Washington. He arrived at 5 p.m. on Monday.")
                == ["Mr. Smith went to Washington.", "He arrived at 5 p.m. on Monday."])
        #expect(punkt.sentences(in: "(He left.) She stayed!") == ["(He left.)", "She stayed!"])
        #expect(punkt.sentences(in: "\"Stop!\" he said. Then he ran.") == ["\"Stop!\"", "he said.", "Then he ran."])
        #expect(punkt.sentences(in: "Version 2.5 is out... maybe") == ["Version 2.5 is out... maybe"])
        #expect(punkt.sentences(in: "   ") == [])
        #expect(punkt.sentences(in: "No end punctuation") == ["No end punctuation"])
    }

    @Test("word_tokenize splits contractions and punctuation like the Treebank rules")
    func words() throws {
        let words = try SharedTools.tools.get().words
        #expect(words.tokenize(PyText(py: "I DON'T know, U.S.A. is big.")) == ["I", "DO", "N'T", "know", ",", "U.S.A.", "is", "big", "."])
        #expect(words.tokenize(PyText(py: "\"Hi\" (there) cannot")) == ["``", "Hi", "''", "(", "there", ")", "can", "not"])
    }
}
