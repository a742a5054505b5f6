import ArgumentParser
import Tessera

/// `tessera bench peak`: the machine's fp32 FMA and int8 dot-product instruction peaks.
struct BenchPeak: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "peak",
    abstract: "Measure one core's fp32 FMA and int8 dot-product instruction peaks (GOP/s).")

  @Option(help: "Seconds to run each instruction sequence.")
  var seconds: Double = 0.5

  @Option(help: "Threads to scale the totals to (peaks are measured on one core).")
  var threads: Int = 1

  @OptionGroup var output: OutputOptions

  func run() async throws {
    guard seconds > 0, seconds.isFinite else { throw CLIError("--seconds must be positive, got \(seconds)") }
    guard threads >= 1 else { throw CLIError("--threads must be at least 1, got \(threads)") }
    let progress = output.progress()
    var rows = [PeakResult]()
    let supported = InstructionPeak.allCases.filter(\.isSupported)
    for (index, peak) in supported.enumerated() {
      progress.step("measuring \(peak.rawValue)", index: index + 1, of: supported.count)
      if let gops = peak.measure(minSeconds: seconds) { rows.append(PeakResult(peak: peak, gops: gops, threads: threads)) }
    }
    progress.finish()
    var machine = try BenchMachine.current(peakSeconds: 0)
    machine.int8PeakGOPS = rows.first { $0.kind == InstructionPeak.int8(for: ISA.best)?.rawValue }?.gops
    machine.fp32PeakGOPS = rows.first { $0.kind == InstructionPeak.bestFloat?.rawValue }?.gops
    try output.emit(PeakReport(machine: machine, peaks: rows))
  }
}
