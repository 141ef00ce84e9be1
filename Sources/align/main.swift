// The `align` command-line tool: parses arguments and runs AlignCLI's commands.
// AlignCommand is an AsyncParsableCommand; calling `AlignCommand.main()` from synchronous top-level code picks
// ParsableCommand's synchronous entry, which refuses an async root. Inside an async function the async
// overload is chosen.
import AlignCLI

func runAlign() async { await AlignCommand.main() }

await runAlign()
