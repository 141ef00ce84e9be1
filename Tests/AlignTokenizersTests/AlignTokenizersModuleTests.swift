import Testing
import AlignTokenizers

@Suite("AlignTokenizers module")
struct AlignTokenizersModuleTests {
    @Test("the module is linked and names itself")
    func moduleName() {
        #expect(AlignTokenizersModule.name == "AlignTokenizers")
    }
}
