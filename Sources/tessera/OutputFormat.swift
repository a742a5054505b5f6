import ArgumentParser
import Foundation
import Tessera

// The one place that turns a report into standard output, shared by every subcommand
// that reports numbers (ARCHITECTURE.md, "Command-line contract"):
//
//   --format table|json|csv   (default table; --json is the same as --format json)
//   JSON goes to stdout alone; progress and logs go to stderr (see ProgressReporter).
//
// A subcommand adopts it in three steps:
//
//   struct Validate: AsyncParsableCommand {
//     @OptionGroup var output: OutputOptions
//     func run() async throws {
//       let progress = output.progress()          // stderr, silent with --quiet
//       progress.step("evaluating float model")
//       let report: SomeReport = ...             // a TabularReport (Encodable + table(for:))
//       try output.emit(report)                   // table, JSON or CSV on stdout
//     }
//   }
//
// The report type lives in a library (see Sources/Tessera/Reporting/BenchReport.swift for
// a complete example) so its JSON field names and table are unit-tested.

extension ReportFormat: ExpressibleByArgument {}

/// `--format table|json|csv`, `--json` and `--quiet`, for every command that reports numbers.
struct OutputOptions: ParsableArguments {
  @Option(name: .long, help: "Output format: table, json or csv. JSON goes to stdout alone.")
  var format: ReportFormat = .table

  @Flag(name: .long, help: "Same as --format json.")
  var json = false

  @Flag(name: .long, help: "Print no progress lines on standard error.")
  var quiet = false

  /// The format after folding `--json` in.
  var resolvedFormat: ReportFormat { json ? .json : format }

  func validate() throws {
    if json && format != .table && format != .json {
      throw ValidationError("--json conflicts with --format \(format.rawValue)")
    }
  }

  /// A progress reporter on standard error that honours `--quiet`.
  func progress() -> ProgressReporter { ProgressReporter(enabled: !quiet) }

  /// Renders `report` in the chosen format and writes it to standard output.
  /// - Parameter report: the report to print.
  /// - Throws: ``CLIError`` when the report cannot be encoded.
  func emit<Report: TabularReport>(_ report: Report) throws {
    let text: String
    do {
      text = try resolvedFormat.render(report)
    } catch {
      throw CLIError("could not render the report as \(resolvedFormat): \(error)")
    }
    FileHandle.standardOutput.write(Data(text.utf8))
  }
}
