import ArgumentParser
import CDNNL
import Foundation
import Tessera

extension ReportFormat: @retroactive ExpressibleByArgument {}

/// `tessera-peers`: Tessera's int8 GEMM/GEMV (best ISA and scalar) against OpenBLAS sgemm/sgemv,
/// oneDNN `dnnl_gemm_u8s8s32` and XNNPACK's qs8 fully-connected operator, on the same shapes
/// and operands, in one table.
@main
struct PeersCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tessera-peers",
    abstract: "Compare Tessera's int8 kernels with OpenBLAS, oneDNN and XNNPACK on the same shapes.",
    discussion: """
      Default shapes: 1024x1024x1024, 1x4096x4096, 1x256x784, 64x256x784 (gemv when m = 1),
      on --threads threads, plus 1024³ on --scaling-threads threads. Every library gets the
      same thread count (OpenBLAS via openblas_set_num_threads, oneDNN via OpenMP, XNNPACK via
      a pthreadpool; one thread uses XNNPACK's NULL pool).

      --libraries times a subset; with one library per process (e.g. --libraries xnnpack, then
      --libraries tessera) no other library's weights share the caches a batch-1 GEMV streams from.
      """)

  @Option(help: "Comma-separated MxNxK shapes (default 1024x1024x1024,1x4096x4096,1x256x784,64x256x784).")
  var shapes = "1024x1024x1024,1x4096x4096,1x256x784,64x256x784"

  @Option(
    help: """
      Comma-separated libraries to time: tessera (selected kernel), scalar (Tessera's scalar \
      kernel), onednn, xnnpack, openblas (default all). One library per process keeps the \
      others out of its caches.
      """)
  var libraries = "tessera,scalar,onednn,xnnpack,openblas"

  @Option(help: "Threads for every library.")
  var threads = 1

  @Option(name: .customLong("scaling-threads"), help: "Also run the 1024³ shape (or the first gemm shape) with this many threads (0 = skip).")
  var scalingThreads = 2

  @Option(help: "Timed samples per measurement (median reported).")
  var iterations = 10

  @Option(help: "Untimed warm-up calls.")
  var warmup = 2

  @Option(name: .customLong("time-budget"), help: "Seconds of timed sampling per measurement at most.")
  var timeBudget = 2.0

  @Option(name: .customLong("peak-seconds"), help: "Seconds per instruction-peak measurement (0 skips).")
  var peakSeconds = 0.3

  @Option(help: "Output format: table, json or csv.")
  var format: ReportFormat = .table

  @Flag(help: "Same as --format json.")
  var json = false

  @Flag(help: "No progress lines on standard error.")
  var quiet = false

  func run() throws {
    do {
      try runPeers()
    } catch let error as ExitCode {
      throw error
    } catch {
      FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
      throw ExitCode.failure
    }
  }

  func runPeers() throws {
    let settings = try BenchmarkSettings(iterations: iterations, warmup: warmup, timeBudgetSeconds: timeBudget)
    let selection = try LibrarySelection(parsing: libraries)
    let shapeList = try GEMMShape.parseList(shapes)
    var cases = try BenchmarkSuite.cases(shapes: shapeList, op: nil, threads: [threads])
    if scalingThreads > 0, scalingThreads != threads {
      let big = shapeList.first { $0.description == "1024x1024x1024" } ?? shapeList.first { $0.m > 1 }
      if let big { cases += try BenchmarkSuite.cases(shapes: [big], op: .gemm, threads: [scalingThreads]) }
    }
    let machine = try BenchMachine.current(peakSeconds: peakSeconds)
    var peers = [any PeerLibrary]()
    if selection.contains(.onednn) { peers.append(OneDNNPeer()) }
    if selection.contains(.xnnpack) { peers.append(XNNPACKPeer()) }
    var results = [BenchResult]()
    for (index, item) in cases.enumerated() {
      let operands = try GEMMOperands(shape: item.shape)
      var prepared = try selection.filter(GEMMImplementation.standard(for: item.op)).map {
        try $0.prepare(operands: operands, threads: item.threads)
      }
      prepared += try peers.map { try $0.prepare(operands: operands, threads: item.threads) }
      progress("[\(index + 1)/\(cases.count)] \(item): " + prepared.map(\.name).joined(separator: ", "))
      results += try BenchmarkSuite.measure(item, prepared, settings: settings)
    }
    var report = BenchReport(machine: machine, results: results)
    report.computeRatios(int8PeakGOPS: machine.int8PeakGOPS, peers: peers.map(\.name))
    report.timeBudgetSeconds = settings.timeBudgetSeconds
    report.extraNotes = [
      "onednn-gemm-u8s8s32 = oneDNN \(Self.oneDNNVersion) dnnl_gemm_u8s8s32 (u8 × s8 → int32, no requantization).",
      "xnnpack-fc-qs8 = XNNPACK (Debian libxnnpack-dev) qs8 fully-connected, per-tensor weight scale, int8 out.",
      "Tessera rows requantize to int8 with per-channel scales; OpenBLAS rows are fp32 on the same values.",
    ]
    let text = try (json ? ReportFormat.json : format).render(report)
    FileHandle.standardOutput.write(Data(text.utf8))
  }

  func progress(_ line: String) {
    guard !quiet else { return }
    FileHandle.standardError.write(Data((line + "\n").utf8))
  }

  /// "3.0.0" from dnnl_version().
  static var oneDNNVersion: String {
    guard let version = dnnl_version()?.pointee else { return "(unknown version)" }
    return "\(version.major).\(version.minor).\(version.patch)"
  }
}
