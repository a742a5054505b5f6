import ArgumentParser
import Foundation
import Tessera

/// A user error: bad input, a missing file, an impossible request.
///
/// Convention for every subcommand: throw `CLIError` (or a library's typed error such as
/// ``TesseraError``, whose description is already one line) from `run()`. The command
/// line then prints `Error: <message>` as one line on standard error and exits with
/// status 1. Failed gates (such as `validate --max-drop`) throw `ExitCode(2)` instead.
struct CLIError: Error, CustomStringConvertible, Equatable {
  /// The one-line message (no trailing newline, no "Error:" prefix).
  let message: String

  /// Makes an error.
  /// - Parameter message: one line naming the problem and the offending value.
  init(_ message: String) {
    self.message = message.split(separator: "\n", omittingEmptySubsequences: true).joined(separator: "; ")
  }

  var description: String { message }
}

extension AsyncParsableCommand {
  /// Runs the command line with the contract's exit codes (ARCHITECTURE.md): 0 on
  /// success (and for `--help`), 1 with a one-line `Error: …` on standard error for any
  /// user error — including malformed flags, which ArgumentParser alone would report
  /// with status 64 and the usage text — and any explicit `ExitCode` (such as 2 for a
  /// failed gate) unchanged.
  ///
  /// Use it from the root command: `static func main() async { await mainWithContractExitCodes() }`.
  /// - Parameter arguments: the arguments to parse, or `nil` for the process's own.
  static func mainWithContractExitCodes(_ arguments: [String]? = nil) async {
    do {
      var command = try parseAsRoot(arguments)
      if var asyncCommand = command as? AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch {
      if exitCode(for: error) == .validationFailure {
        let message = self.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
        FileHandle.standardError.write(Data("Error: \(message) (see --help)\n".utf8))
        Foundation.exit(1)
      }
      let code = exitCode(for: error)
      // Help, version and explicit exit codes keep ArgumentParser's handling; every other
      // error prints as one line, whatever newlines its description (or a path in it) holds.
      if error is ExitCode || code == .success { exit(withError: error) }
      let message = self.message(for: error).split(whereSeparator: \.isNewline).joined(separator: "; ")
      FileHandle.standardError.write(Data("Error: \(message.isEmpty ? "\(error)" : message)\n".utf8))
      Foundation.exit(code.rawValue)
    }
  }
}
