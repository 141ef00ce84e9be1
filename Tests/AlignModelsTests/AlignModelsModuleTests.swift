import Testing
import AlignModels

@Suite("AlignModels module")
struct AlignModelsModuleTests {
    @Test("the module is linked and names itself")
    func moduleName() {
        #expect(AlignModelsModule.name == "AlignModels")
    }
}
