import Testing
import AlignEval

@Suite("AlignEval module")
struct AlignEvalModuleTests {
    @Test("the module is linked and names itself")
    func moduleName() {
        #expect(AlignEvalModule.name == "AlignEval")
    }
}
