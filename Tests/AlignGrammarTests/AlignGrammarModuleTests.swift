import Testing
import AlignGrammar

@Suite("AlignGrammar module")
struct AlignGrammarModuleTests {
    @Test("the module is linked and names itself")
    func moduleName() {
        #expect(AlignGrammarModule.name == "AlignGrammar")
    }
}
