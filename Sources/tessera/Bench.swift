import ArgumentParser
import Tessera

/// `tessera bench`: Tessera's int8 GEMM/GEMV (best ISA and scalar) against OpenBLAS on
/// the same shapes, with GOP/s, ratios and % of the measured int8 peak.
struct Bench: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Time Tessera's int8 GEMM/GEMV against OpenBLAS sgemm/sgemv on the same shapes.",
    discussion: """
      Without a subcommand, runs each shape as gemv when m = 1 and gemm otherwise (default --preset mlp). \
      Each row is the median of --iterations samples with the min–max spread; vs OpenBLAS is the row's \
      median over OpenBLAS's on the same shape and threads; % int8 peak divides by the measured int8 \
      dot-product peak × threads.

        tessera bench --preset mlp
        tessera bench gemm --shapes 64x256x784,256x256x256 --threads 1,2 --json
        tessera bench gemv --n 4096 --k 4096
        tessera bench peak
        tessera bench scaling --threads 2
      """,
    subcommands: [BenchGEMM.self, BenchGEMV.self, BenchPeak.self, BenchTrain.self, BenchEmbed.self, BenchScaling.self]
  )

  @OptionGroup var shapes: BenchShapeOptions
  @OptionGroup var timing: BenchTimingOptions
  @OptionGroup var output: OutputOptions

  func run() async throws {
    try BenchRunner.run(op: nil, defaultPreset: .mlp, shapes: shapes, timing: timing, output: output)
  }
}

/// `tessera bench gemm`: every shape as a GEMM.
struct BenchGEMM: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gemm",
    abstract: "Time int8 GEMM (best ISA, scalar) against OpenBLAS sgemm (default --preset square).")

  @OptionGroup var shapes: BenchShapeOptions
  @OptionGroup var timing: BenchTimingOptions
  @OptionGroup var output: OutputOptions

  func run() async throws {
    try BenchRunner.run(op: .gemm, defaultPreset: .square, shapes: shapes, timing: timing, output: output)
  }
}

/// `tessera bench gemv`: batch-1 shapes with the GEMV kernels.
struct BenchGEMV: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gemv",
    abstract: "Time int8 GEMV (best ISA, scalar) against OpenBLAS sgemv; m must be 1 (default --preset gemv).")

  @OptionGroup var shapes: BenchShapeOptions
  @OptionGroup var timing: BenchTimingOptions
  @OptionGroup var output: OutputOptions

  func run() async throws {
    try BenchRunner.run(op: .gemv, defaultPreset: .gemv, shapes: shapes, timing: timing, output: output)
  }
}

/// The shared body of `bench`, `bench gemm` and `bench gemv`.
enum BenchRunner {
  static func run(
    op: KernelOp?, defaultPreset: BenchmarkPreset, shapes: BenchShapeOptions, timing: BenchTimingOptions,
    output: OutputOptions
  ) throws {
    let progress = output.progress()
    let settings = try timing.settings()
    let cases = try BenchmarkSuite.cases(
      shapes: try shapes.resolvedShapes(op: op, defaultPreset: defaultPreset), op: op,
      threads: try shapes.resolvedThreads())
    for op in Set(cases.map(\.op)) { _ = try GEMMImplementation.standard(for: op) }  // TESSERA_ISA errors first
    progress.step("measuring instruction peaks")
    let machine = try BenchMachine.current(peakSeconds: timing.peakSeconds)
    let results = try BenchmarkSuite.run(cases, settings: settings, implementations: GEMMImplementation.standard) {
      progress.step($0, index: $1, of: $2)
    }
    progress.finish()
    var report = BenchReport(machine: machine, results: results)
    report.computeRatios(int8PeakGOPS: machine.int8PeakGOPS)
    report.timeBudgetSeconds = settings.timeBudgetSeconds
    try output.emit(report)
  }
}
