import Foundation
import PolicyLanguage
import TokenModel

/// Benchmarks, run in release mode: `swift run -c release tokenwarden-bench parse`.
/// Figures and how to reproduce them are in the README.

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "parse":
  ParseBenchmark.run(sizesInMB: arguments.count > 1 ? arguments.dropFirst().compactMap(Int.init) : [1, 5, 25])
default:
  FileHandle.standardError.write(
    Data(
      """
      Usage: tokenwarden-bench parse [MB...]

        parse   Parse generated policies of 1, 5 and 25 MB (or the sizes given); compare with PyYAML's C loader.

      """.utf8))
  exit(arguments.first == nil || arguments.first == "--help" ? 0 : 1)
}
