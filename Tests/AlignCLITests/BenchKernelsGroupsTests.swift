// `align bench kernels --groups`: names outside KernelBench.groups are a validation error that names the bad
// group; known names parse, and the default covers every group.
import Testing
@testable import AlignCLI

@Suite("align bench kernels --groups")
struct BenchKernelsGroupsTests {
    @Test("an unknown group is rejected, naming it; known groups parse")
    func groups() throws {
        #expect(throws: (any Error).self) { try BenchKernelsCommand.parse(["--groups", "lora,softmaxx"]) }
        do {
            _ = try BenchKernelsCommand.parse(["--groups", "lora,softmaxx"])
        } catch {
            let message = BenchKernelsCommand.message(for: error)
            #expect(message.contains("'softmaxx'") && message.contains("logprob, norm, elementwise, attention, lora"), "\(message)")
        }
        #expect(try BenchKernelsCommand.parse(["--groups", "attention,lora"]).groups == "attention,lora")
        #expect(try BenchKernelsCommand.parse([]).groups == "logprob,norm,elementwise,attention,lora")
    }
}
