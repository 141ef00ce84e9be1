import Testing
import AlignServer

@Suite("AlignServer module")
struct AlignServerModuleTests {
    @Test("the module is linked and names itself")
    func moduleName() {
        #expect(AlignServerModule.name == "AlignServer")
    }
}
