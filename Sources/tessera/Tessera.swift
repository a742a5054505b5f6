import ArgumentParser

/// The `tessera` command line: train, quantize, validate, run, benchmark and schedule small networks.
@main
struct TesseraCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tessera",
    abstract: "Train, quantize, validate, run and model small neural networks on CPUs and accelerators.",
    version: "0.1.0",
    subcommands: [
      // One line per subcommand (each lives in its own file).
      Info.self,
      Bench.self,
      Train.self,
      Quantize.self,
      Compress.self,
      Validate.self,
      Run.self,
      Inspect.self,
      Schedule.self,
      Import.self,
      Export.self,
      Embed.self,
      Codesign.self,
      Report.self,
    ]
  )

  /// Exit codes per docs (0 ok, 1 user error with a one-line message, 2 failed gate); see CLIError.swift.
  static func main() async {
    OpenBLASCoreFix.applyIfNeeded()
    await mainWithContractExitCodes()
  }
}
