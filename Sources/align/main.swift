// The `align` command-line tool: parses arguments and runs AlignCLI's commands.
import AlignCLI

AlignCommand.main()
