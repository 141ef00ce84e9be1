import Testing
import AlignCLI

@Suite("align command line")
struct AlignCommandTests {
    @Test("bench is a subcommand of align")
    func benchIsListed() throws {
        let names = AlignCommand.configuration.subcommands.map { $0.configuration.commandName }
        #expect(names.contains("bench"))
    }
}
