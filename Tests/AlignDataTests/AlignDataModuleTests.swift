import Testing
import AlignData

@Suite("AlignData module")
struct AlignDataModuleTests {
    @Test("the module is linked and names itself")
    func moduleName() {
        #expect(AlignDataModule.name == "AlignData")
    }
}
