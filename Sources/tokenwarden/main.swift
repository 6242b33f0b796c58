import CLI
import Foundation

Platform.prepareProcess(arguments: Array(CommandLine.arguments.dropFirst()))
let invocation = Invocation(
  arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment,
  console: .standard, workingDirectory: FileManager.default.currentDirectoryPath)
exit(await TokenWardenCLI.run(invocation))
