import Testing
import AlignDecoding

@Suite("AlignDecoding module")
struct AlignDecodingModuleTests {
    @Test("the module is linked and names itself")
    func moduleName() {
        #expect(AlignDecodingModule.name == "AlignDecoding")
    }
}
