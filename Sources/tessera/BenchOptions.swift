import ArgumentParser
import Tessera

extension BenchmarkPreset: ExpressibleByArgument {}

/// Which shapes and thread counts `tessera bench` measures.
struct BenchShapeOptions: ParsableArguments {
  @Option(help: "Rows of A (the batch). With --n/--k forms one extra shape.")
  var m: Int?

  @Option(help: "Output columns (rows of the weight matrix).")
  var n: Int?

  @Option(help: "Reduction length.")
  var k: Int?

  @Option(help: "Comma-separated MxNxK shapes, e.g. 1x256x784,64x256x784.")
  var shapes: String?

  @Option(help: "Named shape set: mlp (784-256-128-10 layers at batch 1 and 64), square (256³, 512³, 1024³), gemv (1×4096×4096, 1×1024×1024).")
  var preset: BenchmarkPreset?

  @Option(help: "Thread count, or a comma-separated list (e.g. 1,2). OpenBLAS uses the same count.")
  var threads: String = "1"

  /// The shapes asked for, in order: preset, then --shapes, then --m/--n/--k. With none
  /// of them, `defaultPreset`.
  /// - Parameters:
  ///   - op: the forced operation (picks the default m: 1 for gemv, 256 otherwise).
  ///   - defaultPreset: used when no shape option is given.
  /// - Throws: ``TesseraError`` for malformed shapes.
  func resolvedShapes(op: KernelOp?, defaultPreset: BenchmarkPreset) throws -> [GEMMShape] {
    var list = preset?.shapes ?? []
    if let shapes { list += try GEMMShape.parseList(shapes) }
    if m != nil || n != nil || k != nil {
      list.append(try GEMMShape(m: m ?? (op == .gemv ? 1 : 256), n: n ?? 256, k: k ?? 256))
    }
    return list.isEmpty ? defaultPreset.shapes : list
  }

  /// The thread counts in `--threads`.
  /// - Throws: ``CLIError`` naming a malformed entry.
  func resolvedThreads() throws -> [Int] {
    try threads.split(separator: ",", omittingEmptySubsequences: false).map { entry in
      guard let value = Int(entry.filter { $0 != " " }), value >= 1 else {
        throw CLIError("invalid --threads '\(threads)': expected positive integers such as 1 or 1,2")
      }
      return value
    }
  }
}

/// How long `tessera bench` times each measurement.
struct BenchTimingOptions: ParsableArguments {
  @Option(help: "Timed samples per measurement; the median is reported, min–max shows the spread.")
  var iterations: Int = 10

  @Option(help: "Untimed warm-up calls before timing.")
  var warmup: Int = 2

  @Option(name: .customLong("time-budget"), help: "Seconds of timed sampling per measurement at most (slow paths such as the scalar kernel at 1024³ take fewer samples; marked * in the table).")
  var timeBudget: Double = 2

  // `.unconditional` so that `--peak-seconds -1` reaches validate() (a clear message)
  // instead of ArgumentParser's "Missing value".
  @Option(
    name: .customLong("peak-seconds"), parsing: .unconditional,
    help: "Seconds to measure the int8 and fp32 instruction peaks (0 skips them; at most 60).")
  var peakSeconds: Double = 0.3

  func validate() throws {
    guard peakSeconds >= 0, peakSeconds <= 60 else {
      throw ValidationError("--peak-seconds must be a number of seconds in 0...60, got \(peakSeconds)")
    }
  }

  /// The harness settings.
  /// - Throws: ``TesseraError`` naming an out-of-range option.
  func settings() throws -> BenchmarkSettings {
    try BenchmarkSettings(iterations: iterations, warmup: warmup, timeBudgetSeconds: timeBudget)
  }
}
