import Testing
import AlignTraining

@Suite("AlignTraining module")
struct AlignTrainingModuleTests {
    @Test("the module is linked and names itself")
    func moduleName() {
        #expect(AlignTrainingModule.name == "AlignTraining")
    }
}
