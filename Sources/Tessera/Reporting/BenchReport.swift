/// The machine a benchmark ran on, as printed under `"machine"` in `tessera bench --json`.
public struct BenchMachine: Codable, Sendable, Equatable {
  /// CPU brand string, for example "AMD EPYC 9B14".
  public var cpu: String
  /// The ISA word of the int8 kernels Tessera picked (`avx512vnni`, `avx2`, `scalar`, ...).
  public var isa: String
  /// BLAS vendor, version and core, for example "OpenBLAS 0.3.21 (Zen)".
  public var blas: String
  /// Measured int8 dot-product instruction peak of one core in GOP/s, when measured.
  public var int8PeakGOPS: Double?
  /// Measured fp32 FMA instruction peak of one core in GOP/s, when measured.
  public var fp32PeakGOPS: Double?

  /// Makes a machine description.
  /// - Parameters:
  ///   - cpu: the CPU brand string.
  ///   - isa: the selected int8 ISA word.
  ///   - blas: BLAS vendor and version.
  ///   - int8PeakGOPS: one core's int8 peak (GOP/s), or `nil` when not measured.
  ///   - fp32PeakGOPS: one core's fp32 FMA peak (GOP/s), or `nil` when not measured.
  public init(cpu: String, isa: String, blas: String, int8PeakGOPS: Double? = nil, fp32PeakGOPS: Double? = nil) {
    self.cpu = cpu
    self.isa = isa
    self.blas = blas
    self.int8PeakGOPS = int8PeakGOPS
    self.fp32PeakGOPS = fp32PeakGOPS
  }

  enum CodingKeys: String, CodingKey {
    case cpu, isa, blas
    case int8PeakGOPS = "int8_peak_gops"
    case fp32PeakGOPS = "fp32_peak_gops"
  }
}

/// One measured implementation on one shape: a row of `"results"` in `tessera bench --json`.
///
/// The contract fields (`op`, `m`, `n`, `k`, `threads`, `impl`, `gops`, `gops_min`,
/// `gops_max`, `vs_openblas`, `pct_int8_peak`) are always present (`null` when
/// unknown); `samples`, `calls_per_sample`, `budget_capped` and `vs` (ratios to
/// other peers, only when there are any) extend it.
public struct BenchResult: Codable, Sendable, Equatable {
  /// `gemm` or `gemv`.
  public var op: KernelOp
  /// Rows of A.
  public var m: Int
  /// Output columns.
  public var n: Int
  /// Reduction length.
  public var k: Int
  /// Threads used by the implementation (Tessera's pool or the peer library's).
  public var threads: Int
  /// Implementation: `tessera-int8-<isa>`, `tessera-int8-scalar`, `openblas-sgemm`, ...
  public var impl: String
  /// Median GOP/s (2·m·n·k operations per call).
  public var gops: Double
  /// Slowest sample's GOP/s.
  public var gopsMin: Double
  /// Fastest sample's GOP/s.
  public var gopsMax: Double
  /// `gops` over the OpenBLAS row of the same shape and threads; `nil` without one.
  public var vsOpenBLAS: Double?
  /// `gops` as a percentage of the measured int8 peak × threads; `nil` without a peak.
  public var pctInt8Peak: Double?
  /// Timed samples taken.
  public var samples: Int
  /// Calls per timed sample (small shapes repeat so a sample lasts long enough to time).
  public var callsPerSample: Int
  /// True when the time budget stopped sampling before the requested iterations.
  public var budgetCapped: Bool
  /// `gops` over each other peer's row of the same shape and threads, keyed by peer impl.
  public var vs: [String: Double]

  /// The shape of this row.
  public var shape: GEMMShape { GEMMShape(unchecked: m, n, k) }

  /// Makes a row from a measurement; ratios are filled later by ``BenchReport/computeRatios(int8PeakGOPS:peers:)``.
  ///
  /// - Parameters:
  ///   - op: the operation measured.
  ///   - shape: its shape.
  ///   - threads: threads the implementation used.
  ///   - impl: the implementation name.
  ///   - measurement: the timing result.
  public init(op: KernelOp, shape: GEMMShape, threads: Int, impl: String, measurement: BenchmarkMeasurement) {
    self.op = op
    m = shape.m
    n = shape.n
    k = shape.k
    self.threads = threads
    self.impl = impl
    gops = ReportNumber.rounded(measurement.gops.median)
    gopsMin = ReportNumber.rounded(measurement.gops.min)
    gopsMax = ReportNumber.rounded(measurement.gops.max)
    samples = measurement.samples
    callsPerSample = measurement.callsPerSample
    budgetCapped = measurement.budgetCapped
    vs = [:]
  }

  enum CodingKeys: String, CodingKey {
    case op, m, n, k, threads, impl, gops, samples, vs
    case gopsMin = "gops_min"
    case gopsMax = "gops_max"
    case vsOpenBLAS = "vs_openblas"
    case pctInt8Peak = "pct_int8_peak"
    case callsPerSample = "calls_per_sample"
    case budgetCapped = "budget_capped"
  }

  /// Decodes a row; `vs` and the extension fields may be absent.
  /// - Throws: `DecodingError` when a contract field is missing or mistyped.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    op = try c.decode(KernelOp.self, forKey: .op)
    m = try c.decode(Int.self, forKey: .m)
    n = try c.decode(Int.self, forKey: .n)
    k = try c.decode(Int.self, forKey: .k)
    threads = try c.decode(Int.self, forKey: .threads)
    impl = try c.decode(String.self, forKey: .impl)
    gops = try c.decode(Double.self, forKey: .gops)
    gopsMin = try c.decode(Double.self, forKey: .gopsMin)
    gopsMax = try c.decode(Double.self, forKey: .gopsMax)
    vsOpenBLAS = try c.decodeIfPresent(Double.self, forKey: .vsOpenBLAS)
    pctInt8Peak = try c.decodeIfPresent(Double.self, forKey: .pctInt8Peak)
    samples = try c.decodeIfPresent(Int.self, forKey: .samples) ?? 1
    callsPerSample = try c.decodeIfPresent(Int.self, forKey: .callsPerSample) ?? 1
    budgetCapped = try c.decodeIfPresent(Bool.self, forKey: .budgetCapped) ?? false
    vs = try c.decodeIfPresent([String: Double].self, forKey: .vs) ?? [:]
  }

  /// Encodes every contract field, writing `null` for unknown ratios.
  /// - Throws: `EncodingError` for non-finite numbers.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(op, forKey: .op)
    try c.encode(m, forKey: .m)
    try c.encode(n, forKey: .n)
    try c.encode(k, forKey: .k)
    try c.encode(threads, forKey: .threads)
    try c.encode(impl, forKey: .impl)
    try c.encode(gops, forKey: .gops)
    try c.encode(gopsMin, forKey: .gopsMin)
    try c.encode(gopsMax, forKey: .gopsMax)
    try c.encode(vsOpenBLAS, forKey: .vsOpenBLAS)
    try c.encode(pctInt8Peak, forKey: .pctInt8Peak)
    try c.encode(samples, forKey: .samples)
    try c.encode(callsPerSample, forKey: .callsPerSample)
    try c.encode(budgetCapped, forKey: .budgetCapped)
    if !vs.isEmpty { try c.encode(vs, forKey: .vs) }
  }
}

/// The output of `tessera bench` and `tessera-peers`: `{"machine": …, "results": […]}`.
///
/// For example:
/// ```swift
/// var report = BenchReport(machine: machine, results: rows)
/// report.computeRatios(int8PeakGOPS: 160)
/// print(try ReportFormat.json.render(report))
/// ```
public struct BenchReport: TabularReport, Codable, Sendable, Equatable {
  /// Where the numbers were measured.
  public var machine: BenchMachine
  /// One row per (shape, threads, implementation), in run order.
  public var results: [BenchResult]
  /// The per-measurement time budget in seconds, named in the table's notes (not encoded).
  public var timeBudgetSeconds: Double? = nil
  /// Extra lines for the table's notes (not encoded).
  public var extraNotes: [String] = []

  enum CodingKeys: String, CodingKey { case machine, results }

  /// Makes a report.
  /// - Parameters:
  ///   - machine: the machine description.
  ///   - results: the measured rows.
  public init(machine: BenchMachine, results: [BenchResult]) {
    self.machine = machine
    self.results = results
  }

  /// Fills `vs_openblas`, the `vs` ratios to `peers`, and `pct_int8_peak` on every row.
  ///
  /// A row's ratio to a peer is its median GOP/s over the peer's median on the same
  /// op, shape and thread count (so the peer's own row gets 1). The peak percentage
  /// uses `int8PeakGOPS × threads`.
  ///
  /// - Parameters:
  ///   - int8PeakGOPS: one core's int8 peak; `nil` leaves `pct_int8_peak` null.
  ///   - peers: implementation names (other than OpenBLAS) to put in `vs`.
  public mutating func computeRatios(int8PeakGOPS: Double?, peers: [String] = []) {
    func key(_ row: BenchResult) -> [Int] { [row.op == .gemm ? 0 : 1, row.m, row.n, row.k, row.threads] }
    var byImpl = [String: [[Int]: Double]]()
    for row in results { byImpl[row.impl, default: [:]][key(row)] = row.gops }
    for index in results.indices {
      let row = results[index]
      let openBLAS = byImpl[row.op.openBLASImplementation]?[key(row)]
      results[index].vsOpenBLAS = openBLAS.flatMap { $0 > 0 ? ReportNumber.rounded(row.gops / $0) : nil }
      var ratios = [String: Double]()
      for peer in peers where peer != row.impl {
        if let other = byImpl[peer]?[key(row)], other > 0 { ratios[peer] = ReportNumber.rounded(row.gops / other) }
      }
      results[index].vs = ratios
      if let peak = int8PeakGOPS, peak > 0 {
        results[index].pctInt8Peak = ReportNumber.rounded(100 * row.gops / (peak * Double(row.threads)), decimals: 1)
      } else {
        results[index].pctInt8Peak = nil
      }
    }
  }
}

extension KernelOp {
  /// The OpenBLAS implementation name Tessera compares this operation against
  /// (`openblas-sgemm` or `openblas-sgemv`).
  public var openBLASImplementation: String { self == .gemm ? "openblas-sgemm" : "openblas-sgemv" }
}
