import Tessera

/// `tessera embed`'s report. JSON: `{"model", "dimension", "count", "embeddings": [[floats]]}`,
/// embeddings in input order.
public struct EmbedReport: TabularReport, Sendable, Equatable {
  /// The model's name.
  public var model: String
  /// Floats per embedding.
  public var dimension: Int
  /// Texts embedded.
  public var count: Int
  /// One embedding per text, in input order.
  public var embeddings: [[Float]]
  /// Tokens per text (`[CLS]` and `[SEP]` included), for the table.
  public var tokens: [Int]

  /// Makes a report.
  public init(model: String, dimension: Int, embeddings: [[Float]], tokens: [Int]) {
    self.model = model
    self.dimension = dimension
    count = embeddings.count
    self.embeddings = embeddings
    self.tokens = tokens
  }

  enum CodingKeys: String, CodingKey { case model, dimension, count, embeddings }

  /// The model line.
  public var title: String? { "\(count) embeddings of \(dimension) floats from \(model)" }

  /// One row per text: tokens, L2 norm and the first values.
  public func table(for format: ReportFormat) -> ReportTable {
    let human = format == .table
    let titles = human ? ["text", "tokens", "norm", "first values"] : ["index", "tokens", "norm", "first_values"]
    var table = ReportTable(columns: titles.enumerated().map { .init($1, alignment: $0 == 3 ? .left : .right) })
    for (i, e) in embeddings.enumerated() {
      let norm = e.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
      let head = e.prefix(4).map { ReportNumber.format(Double($0), significant: 4, maxDecimals: 4) }.joined(separator: " ")
      try? table.append(["\(i + 1)", "\(i < tokens.count ? tokens[i] : 0)", ReportNumber.format(norm, significant: 4, maxDecimals: 4), head + " …"])
    }
    return table
  }
}

/// `tessera bench embed`'s report. JSON: `{"machine": {...}, "results": [{"seq", "batch",
/// "threads", "ms", "ms_min", "ms_max"}]}`; `ms` is the median time of one call of the model
/// (encoder and pooling) on `batch` inputs of exactly `seq` tokens.
public struct BenchEmbedReport: TabularReport, Sendable, Equatable {
  /// One measured configuration.
  public struct Row: Sendable, Equatable, Encodable {
    /// Tokens per input.
    public var seq: Int
    /// Inputs per call.
    public var batch: Int
    /// Threads.
    public var threads: Int
    /// Median milliseconds per call.
    public var ms: Double
    /// Fastest sample.
    public var msMin: Double
    /// Slowest sample.
    public var msMax: Double

    /// Makes a row.
    public init(seq: Int, batch: Int, threads: Int, ms: Double, msMin: Double, msMax: Double) {
      self.seq = seq
      self.batch = batch
      self.threads = threads
      self.ms = ms
      self.msMin = msMin
      self.msMax = msMax
    }

    enum CodingKeys: String, CodingKey {
      case seq, batch, threads, ms
      case msMin = "ms_min"
      case msMax = "ms_max"
    }
  }

  /// The machine.
  public var machine: BenchMachine
  /// The model's name (not in the JSON contract's required fields; added).
  public var model: String
  /// The model's precision (`float32` or `dynamic-int8`).
  public var precision: String
  /// One row per (seq, batch, threads).
  public var results: [Row]

  /// Makes a report.
  public init(machine: BenchMachine, model: String, precision: String, results: [Row]) {
    self.machine = machine
    self.model = model
    self.precision = precision
    self.results = results
  }

  /// The machine line.
  public var title: String? { "\(model) (\(precision)) on \(machine.cpu), \(machine.blas), int8 \(machine.isa)" }

  /// What is timed.
  public var notes: [String] {
    ["ms: median time of one call (tokens → embedding, encoder and pooling) on inputs of exactly seq tokens; min–max over the samples"]
  }

  /// One row per configuration.
  public func table(for format: ReportFormat) -> ReportTable {
    let human = format == .table
    let titles = human ? ["seq", "batch", "threads", "ms", "min", "max"] : ["seq", "batch", "threads", "ms", "ms_min", "ms_max"]
    var table = ReportTable(columns: titles.map { .init($0, alignment: .right) })
    for r in results {
      let numbers = [r.ms, r.msMin, r.msMax].map { human ? ReportNumber.format($0, significant: 4, maxDecimals: 3) : "\($0)" }
      try? table.append(["\(r.seq)", "\(r.batch)", "\(r.threads)"] + numbers)
    }
    return table
  }
}
