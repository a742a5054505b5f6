import Foundation
import Testing
@testable import Tessera

/// Shape parsing, presets, statistics, tables, report JSON/CSV and the timing harness.
@Suite("Reporting")
struct ReportingTests {
  // MARK: - Shapes and presets

  @Test func shapeParsesMxNxK() throws {
    let shape = try GEMMShape(parsing: " 64x256X784 ")
    #expect(shape == (try GEMMShape(m: 64, n: 256, k: 784)))
    #expect(shape.description == "64x256x784")
    #expect(shape.operationCount == 2 * 64 * 256 * 784)
    #expect(try GEMMShape(parsing: "1×10×128").naturalOperation == .gemv)
    #expect(shape.naturalOperation == .gemm)
  }

  @Test(arguments: ["", "64x256", "64x256x784x2", "0x1x1", "-1x2x3", "axbxc", "64x256x", "1.5x2x3"])
  func shapeRejectsMalformedText(_ text: String) {
    #expect(throws: TesseraError.self) { try GEMMShape(parsing: text) }
  }

  /// Huge shapes used to trap ("failed to allocate") or get the process killed when the
  /// benchmark made its operands.
  @Test func shapeRejectsOperandsTooLargeToAllocate() throws {
    #expect(throws: TesseraError.invalidArgument(
      "shape 100000000x100000000x100000000: the m×k operand has more than 1073741824 elements")) {
      try GEMMShape(parsing: "100000000x100000000x100000000")
    }
    #expect(throws: TesseraError.invalidArgument(
      "shape 1x1x9223372036854775807: the m×k operand has more than 1073741824 elements")) {
      try GEMMShape(m: 1, n: 1, k: .max)
    }
    #expect(throws: TesseraError.self) { try GEMMShape(parsing: "3037000500x3037000500x1") }
    #expect(try GEMMShape(parsing: "4096x4096x4096").operationCount == 2 * 4096 * 4096 * 4096)
  }

  /// `bench --peak-seconds -1` or `nan` was accepted silently (and skipped the peaks).
  @Test(arguments: [-1.0, .nan, .infinity])
  func peakSecondsMustBeFiniteAndNonNegative(_ seconds: Double) {
    #expect(throws: TesseraError.self) { try BenchMachine.current(peakSeconds: seconds) }
  }

  @Test func shapeErrorNamesTheText() {
    #expect(throws: TesseraError.invalidArgument(
      "invalid shape '4xfoox8': 'foo' is not a positive integer (expected MxNxK)")) {
      try GEMMShape(parsing: "4xfoox8")
    }
  }

  @Test func shapeListKeepsOrder() throws {
    let shapes = try GEMMShape.parseList("1x256x784,64x256x784, 2x3x4")
    #expect(shapes.map(\.description) == ["1x256x784", "64x256x784", "2x3x4"])
    #expect(throws: TesseraError.self) { try GEMMShape.parseList("1x2x3,,4x5x6") }
    #expect(throws: TesseraError.self) { try GEMMShape.parseList("  ") }
  }

  @Test func presetsHoldTheDocumentedShapes() throws {
    #expect(try BenchmarkPreset(parsing: "MLP") == .mlp)
    #expect(BenchmarkPreset.mlp.shapes.map(\.description) ==
      ["1x256x784", "64x256x784", "1x128x256", "64x128x256", "1x10x128", "64x10x128"])
    #expect(BenchmarkPreset.mlp.shapes.map(\.naturalOperation) == [.gemv, .gemm, .gemv, .gemm, .gemv, .gemm])
    #expect(BenchmarkPreset.square.shapes.map(\.description) == ["256x256x256", "512x512x512", "1024x1024x1024"])
    #expect(BenchmarkPreset.gemv.shapes.allSatisfy { $0.m == 1 })
    #expect(throws: TesseraError.invalidArgument("unknown preset 'big': expected one of mlp, square, gemv")) {
      try BenchmarkPreset(parsing: "big")
    }
  }

  // MARK: - Statistics

  @Test func summaryOfOddAndEvenCounts() throws {
    let odd = try SampleSummary([5, 1, 3])
    #expect(odd.median == 3 && odd.min == 1 && odd.max == 5 && odd.mean == 3 && odd.count == 3)
    let even = try SampleSummary([4, 1, 10, 2])
    #expect(even.median == 3)
    #expect(even.relativeSpread == 3)
    #expect(try SampleSummary([7]).relativeSpread == 0)
  }

  @Test func summaryRejectsEmptyAndNonFinite() {
    #expect(throws: TesseraError.self) { try SampleSummary([]) }
    #expect(throws: TesseraError.self) { try SampleSummary([1, .nan]) }
    #expect(throws: TesseraError.self) { try SampleSummary([.infinity]) }
  }

  // MARK: - Tables and numbers

  @Test func textTableAlignsColumns() throws {
    var table = ReportTable(columns: [.init("impl"), .init("GOP/s", alignment: .right)])
    try table.append(["openblas-sgemm", "81.2"])
    try table.append(["x", "1234"])
    #expect(table.renderedText() == """
      impl            GOP/s
      --------------  -----
      openblas-sgemm   81.2
      x                1234

      """)
    #expect(throws: TesseraError.self) { try table.append(["only one"]) }
  }

  @Test func csvQuotesOnlyWhatNeedsIt() throws {
    var table = ReportTable(columns: [.init("name"), .init("note")])
    try table.append(["plain", "a,b"])
    try table.append(["say \"hi\"", "two\nlines"])
    #expect(table.renderedCSV() == "name,note\nplain,\"a,b\"\n\"say \"\"hi\"\"\",\"two\nlines\"\n")
  }

  @Test func numbersFormatWithSignificantDigits() {
    #expect(ReportNumber.format(1234.6) == "1235")
    #expect(ReportNumber.format(12.345) == "12.35")
    #expect(ReportNumber.format(0.012345) == "0.0123")
    #expect(ReportNumber.format(0) == "0")
    #expect(ReportNumber.format(.nan) == "n/a")
    #expect(ReportNumber.rounded(81.23456) == 81.235)
    #expect(ReportNumber.csv(3) == "3")
    #expect(ReportNumber.csv(2.5) == "2.5")
    #expect(ReportNumber.csv(nil) == "")
  }

  // MARK: - Bench report

  private func measurement(_ gops: Double, capped: Bool = false) throws -> BenchmarkMeasurement {
    BenchmarkMeasurement(gops: try SampleSummary([gops * 0.9, gops, gops * 1.1]), samples: 3, callsPerSample: 4,
                         budgetCapped: capped)
  }

  private func sampleReport() throws -> BenchReport {
    let shape = try GEMMShape(m: 64, n: 256, k: 784)
    let vector = try GEMMShape(m: 1, n: 256, k: 784)
    var report = BenchReport(
      machine: BenchMachine(cpu: "Test CPU", isa: "avx512vnni", blas: "OpenBLAS 0.3.21", int8PeakGOPS: 200),
      results: [
        BenchResult(op: .gemm, shape: shape, threads: 2, impl: "tessera-int8-avx512vnni", measurement: try measurement(100)),
        BenchResult(op: .gemm, shape: shape, threads: 2, impl: "tessera-int8-scalar", measurement: try measurement(5, capped: true)),
        BenchResult(op: .gemm, shape: shape, threads: 2, impl: "openblas-sgemm", measurement: try measurement(50)),
        BenchResult(op: .gemv, shape: vector, threads: 1, impl: "tessera-int8-avx512vnni", measurement: try measurement(20)),
      ])
    report.computeRatios(int8PeakGOPS: 200)
    return report
  }

  @Test func ratiosComparePerShapeAndThreads() throws {
    let report = try sampleReport()
    #expect(report.results.map(\.vsOpenBLAS) == [2, 0.1, 1, nil])
    #expect(report.results.map(\.pctInt8Peak) == [25, 1.3, 12.5, 10])
  }

  @Test func benchJSONUsesTheContractFieldNames() throws {
    let data = Data(try ReportFormat.json.render(try sampleReport()).utf8)
    let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(Set(root.keys) == ["machine", "results"])
    let machine = try #require(root["machine"] as? [String: Any])
    #expect(Set(["cpu", "isa", "blas"]).isSubset(of: Set(machine.keys)))
    let results = try #require(root["results"] as? [[String: Any]])
    let contract: Set<String> = [
      "op", "m", "n", "k", "threads", "impl", "gops", "gops_min", "gops_max", "vs_openblas", "pct_int8_peak",
    ]
    for row in results { #expect(contract.isSubset(of: Set(row.keys))) }
    #expect(results[0]["impl"] as? String == "tessera-int8-avx512vnni")
    #expect(results[0]["op"] as? String == "gemm")
    #expect(results[0]["gops"] as? Double == 100)
    #expect(results[3]["vs_openblas"] is NSNull)  // present, null: no OpenBLAS row for that shape
    let decoded = try JSONDecoder().decode(BenchReport.self, from: data)
    #expect(decoded.results == (try sampleReport()).results)
  }

  @Test func benchCSVHeadersMatchJSONNames() throws {
    let csv = try ReportFormat.csv.render(try sampleReport())
    let header = csv.split(separator: "\n").first.map(String.init)
    #expect(header == "op,m,n,k,threads,impl,gops,gops_min,gops_max,vs_openblas,pct_int8_peak,samples,calls_per_sample,budget_capped")
    #expect(csv.contains("\ngemm,64,256,784,2,tessera-int8-scalar,5,4.5,5.5,0.1,1.3,3,4,true\n"))
  }

  @Test func benchTableMarksBudgetCappedRows() throws {
    let text = try ReportFormat.table.render(try sampleReport())
    #expect(text.hasPrefix("CPU: Test CPU | int8 ISA: avx512vnni | BLAS: OpenBLAS 0.3.21"))
    #expect(text.contains("3×4*"))
    #expect(text.contains("* = stopped early by the time budget"))
  }

  @Test func peerRatiosBecomeExtraColumns() throws {
    var report = try sampleReport()
    let shape = try GEMMShape(m: 64, n: 256, k: 784)
    report.results.append(
      BenchResult(op: .gemm, shape: shape, threads: 2, impl: "onednn-u8s8s32", measurement: try measurement(80)))
    report.computeRatios(int8PeakGOPS: nil, peers: ["onednn-u8s8s32"])
    #expect(report.results[0].vs == ["onednn-u8s8s32": 1.25])
    #expect(report.results[0].pctInt8Peak == nil)
    #expect(report.table(for: .csv).columns.map(\.title).contains("vs_onednn-u8s8s32"))
    #expect(report.table(for: .table).columns.map(\.title).contains("vs onednn-u8s8s32"))
  }

  // MARK: - Harness (fake clock: every call takes `perCall` seconds)

  private struct FakeTimer: BenchmarkTimer {
    let perCall: Double
    func seconds(calls: Int, _ body: () -> Void) -> Double {
      for _ in 0..<calls { body() }
      return perCall * Double(calls)
    }
    func pause(seconds: Double) {}
  }

  @Test func harnessRepeatsFastCallsToFillASample() throws {
    let settings = try BenchmarkSettings(iterations: 5, warmup: 2, minSampleSeconds: 0.01, timeBudgetSeconds: 10)
    var calls = 0
    let result = try BenchmarkHarness.measureInterleaved(
      operationCount: 2e6, settings: settings, timer: FakeTimer(perCall: 0.001), [{ calls += 1 }])[0]
    #expect(result.callsPerSample == 10)
    #expect(result.samples == 5 && !result.budgetCapped)
    #expect(calls == 2 + 5 * 10)
    #expect(abs(result.gops.median - 2) < 1e-9)  // 2e6 ops per ms = 2 GOP/s
  }

  @Test func harnessStopsSlowCallsAtTheBudget() throws {
    let settings = try BenchmarkSettings(iterations: 10, warmup: 3, minSampleSeconds: 0.01, timeBudgetSeconds: 2.5)
    var calls = 0
    let result = try BenchmarkHarness.measureInterleaved(
      operationCount: 1e9, settings: settings, timer: FakeTimer(perCall: 1), [{ calls += 1 }])[0]
    #expect(result.callsPerSample == 1)
    #expect(result.samples == 3 && result.budgetCapped)
    #expect(calls == 1 + 3)  // warm-up stops after a quarter of the budget
  }

  /// Records which body ran; body 1 is slow (1 s per call), body 0 fast (1 ms per call).
  private final class CallLog: BenchmarkTimer {
    var entries = [Int]()
    func seconds(calls: Int, _ body: () -> Void) -> Double {
      for _ in 0..<calls { body() }
      return Double(calls) * (entries.last == 1 ? 1 : 0.001)
    }
    func pause(seconds: Double) { entries.append(-1) }
  }

  @Test func interleavedRoundsRotateAndBudgetEachBodyAlone() throws {
    let settings = try BenchmarkSettings(iterations: 4, warmup: 1, minSampleSeconds: 0.01, timeBudgetSeconds: 2.5)
    let log = CallLog()
    let results = try BenchmarkHarness.measureInterleaved(
      operationCount: 1e9, settings: settings, pauseSeconds: 0.05, timer: log,
      [{ log.entries.append(0) }, { log.entries.append(1) }])
    #expect(results.map(\.callsPerSample) == [10, 1])
    #expect(results.map(\.samples) == [4, 3])
    #expect(results.map(\.budgetCapped) == [false, true])
    // Collapse runs of the same body: warm-ups 0,1 then rounds (0,1), (1,0), (0,1), (0);
    // every warm-up and sample is preceded by a pause (-1).
    let order = log.entries.reduce(into: [Int]()) { runs, id in if runs.last != id { runs.append(id) } }
    #expect(order == [-1, 0, -1, 1, -1, 0, -1, 1, -1, 1, -1, 0, -1, 0, -1, 1, -1, 0])
  }

  /// A clock on which body 0 (one thread) takes 4 ms per call and body 1 (N threads) 1.6 ms in
  /// even rounds and 3.2 ms in odd ones, as if the machine were busy every other round.
  private final class ScalingClock: BenchmarkTimer {
    var which = 0
    var samples = [0, 0]
    func seconds(calls: Int, _ body: () -> Void) -> Double {
      for _ in 0..<calls { body() }
      let round = samples[which]
      samples[which] += 1
      let perCall = which == 0 ? 0.004 * (round % 2 == 1 ? 2 : 1) : 0.0016 * (round % 2 == 1 ? 2 : 1)
      return perCall * Double(calls)
    }
  }

  @Test func threadScalingPairsSamplesWithinARound() throws {
    // The busy rounds slow both sides together, so every round's ratio is 2.5 even though the
    // one-thread and N-thread medians alone would move with the load.
    let settings = try BenchmarkSettings(iterations: 6, warmup: 1, minSampleSeconds: 0.001, timeBudgetSeconds: 10)
    let clock = ScalingClock()
    let row = try ThreadScaling.measure(
      label: "gemm 8x8x8", threads: 2, operations: 1024, settings: settings, timer: clock,
      single: { clock.which = 0 }, multi: { clock.which = 1 })
    #expect(row.rounds == 6)
    #expect(row.speedup == 2.5 && row.speedupMin == 2.5 && row.speedupMax == 2.5)
    #expect(row.oneThreadMicroseconds == 6000)  // median of 4 ms and 8 ms samples (3 each)
    let report = ScalingReport(
      machine: BenchMachine(cpu: "test", isa: "scalar", blas: "none", int8PeakGOPS: nil, fp32PeakGOPS: nil), results: [row])
    let json = try ReportFormat.encodeJSON(report)
    #expect(json.contains("\"speedup\" : 2.5") && json.contains("\"one_thread_us\" : 6000"))
    #expect(report.table(for: .table).rows[0][6] == "2.50×")
  }

  @Test func settingsRejectBadValues() {
    #expect(throws: TesseraError.invalidArgument("--iterations must be at least 1, got 0")) {
      try BenchmarkSettings(iterations: 0)
    }
    #expect(throws: TesseraError.self) { try BenchmarkSettings(warmup: -1) }
    #expect(throws: TesseraError.self) { try BenchmarkSettings(timeBudgetSeconds: 0) }
  }

  // MARK: - Cases and info

  @Test func casesPickTheNaturalOpUnlessForced() throws {
    let shapes = try GEMMShape.parseList("1x256x784,64x256x784")
    let natural = try BenchmarkSuite.cases(shapes: shapes, op: nil, threads: [1, 2])
    #expect(natural.map(\.op) == [.gemv, .gemv, .gemm, .gemm])
    #expect(natural.map(\.threads) == [1, 2, 1, 2])
    #expect(try BenchmarkSuite.cases(shapes: shapes, op: .gemm, threads: [1]).allSatisfy { $0.op == .gemm })
    #expect(throws: TesseraError.invalidArgument("gemv needs m = 1, got shape 64x256x784; use 'bench gemm' or m = 1")) {
      try BenchmarkSuite.cases(shapes: shapes, op: .gemv, threads: [1])
    }
    #expect(throws: TesseraError.self) { try BenchmarkSuite.cases(shapes: shapes, op: nil, threads: [0]) }
  }

  @Test func infoJSONHasTheDocumentedSections() throws {
    let kernel = try #require(Int8Kernel.all.first)
    let report = InfoReport(
      cpu: CPUInfo(brand: "Test CPU", features: ["avx2"], logicalCores: 2,
                   caches: [CacheLevel(level: 1, type: "Data", sizeBytes: 32768, lineBytes: 64, ways: 8, sharedBy: 1)]),
      bestISA: .avx2, compiledISAs: [.scalar, .avx2], supportedISAs: [.scalar, .avx2], isaOverride: nil,
      kernels: [.init(kernel: kernel, selected: true)], selectionError: nil, blasVendor: "OpenBLAS",
      blasVersion: "OpenBLAS 0.3.21 DYNAMIC_ARCH", blasCore: "Haswell", blasSummary: "OpenBLAS 0.3.21 (Haswell)",
      blasThreads: 1)
    let data = Data(try ReportFormat.json.render(report).utf8)
    let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(Set(root.keys) == ["cpu", "isa", "kernels", "blas", "caches", "selection_error"])
    let cache = try #require((root["caches"] as? [[String: Any]])?.first)
    #expect(cache["size_bytes"] as? Int == 32768 && cache["shared_by"] as? Int == 1)
    let row = try #require((root["kernels"] as? [[String: Any]])?.first)
    #expect(Set(row.keys) == ["op", "name", "isa", "mr", "nr", "kr", "selected", "supported"])
    let text = try ReportFormat.table.render(report)
    #expect(text.contains("L1d cache        32 KiB, 8-way, 64 B lines, shared by 1 cpu"))
    #expect(text.contains("\(kernel.op.rawValue) kernel"))
  }
}
