import Foundation
import Tessera

/// Times the mapper on a LeNet convolution (`tessera schedule --benchmark-mapper`): the whole
/// legal space evaluated without pruning, then the same search with branch and bound.
public struct MapperBenchmark: TabularReport, Sendable {
  /// One timed search.
  public struct Row: Sendable, Encodable {
    /// Hardware name.
    public var hardware: String
    /// Layer description.
    public var layer: String
    /// Dataflows searched.
    public var dataflows: String
    /// `exhaustive` or `branch-and-bound`.
    public var search: String
    /// Legal mappings in the space.
    public var spaceSize: Int
    /// Mappings evaluated in full.
    public var evaluated: Int
    /// Seconds.
    public var seconds: Double
    /// Best energy found, pJ.
    public var bestEnergyPJ: Double

    enum CodingKeys: String, CodingKey {
      case hardware, layer, dataflows, search, evaluated, seconds
      case spaceSize = "space_size"
      case bestEnergyPJ = "best_energy_pj"
    }
  }

  /// The timed searches.
  public var rows: [Row]

  /// LeNet-5's second convolution: 6 → 16 channels, 5×5 filters on a 14×14 input (10×10 output).
  public static func lenetConv2() throws -> Workload {
    try Workload(name: "lenet.conv2", kind: .conv, shape: .conv(
      batch: 1, channels: 6, height: 14, width: 14, filters: 16, filterHeight: 5, filterWidth: 5))
  }

  /// Runs the benchmark on the Eyeriss preset (every dataflow).
  /// - Throws: spec or mapper errors.
  public static func run() throws -> MapperBenchmark {
    let spec = try HardwareSpec.preset(named: "eyeriss")
    let layer = try lenetConv2()
    var rows: [Row] = []
    let searches: [(String, MapperOptions)] = [
      ("every mapping, evaluated (row-stationary)", { var o = MapperOptions.exhaustive; o.dataflows = [.rs]; return o }()),
      ("maximal unrollings, evaluated (row-stationary)", MapperOptions(dataflows: [.rs], branchAndBound: false)),
      ("maximal unrollings, evaluated", MapperOptions(branchAndBound: false)),
      ("maximal unrollings, branch and bound (default)", MapperOptions()),
    ]
    for (name, options) in searches {
      let result = try Mapper.search(layer, on: spec, options: options)
      rows.append(Row(
        hardware: spec.name, layer: "\(layer.name) (C6 K16 P10 Q10 R5 S5)",
        dataflows: (options.dataflows ?? spec.array.dataflows).map(\.rawValue).joined(separator: ","),
        search: name, spaceSize: result.spaceSize,
        evaluated: result.evaluated, seconds: result.seconds, bestEnergyPJ: result.best.energyPJ))
    }
    return MapperBenchmark(rows: rows)
  }

  /// Encodes `{"rows": [...]}`.
  /// - Parameter encoder: the encoder.
  /// - Throws: `EncodingError` for non-finite numbers.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Keys.self)
    try container.encode(rows, forKey: .rows)
  }
  private enum Keys: String, CodingKey { case rows }

  /// One row per search.
  /// - Parameter format: `.table` or `.csv`.
  public func table(for format: ReportFormat) -> ReportTable {
    let right = ReportTable.Alignment.right
    var table = ReportTable(columns: [
      .init("hardware"), .init("layer"), .init("dataflows"), .init("search"), .init("space", alignment: right),
      .init("evaluated", alignment: right), .init("seconds", alignment: right), .init("mappings/s", alignment: right),
      .init("best pJ", alignment: right),
    ])
    for row in rows {
      try? table.append([
        row.hardware, row.layer, row.dataflows, row.search, "\(row.spaceSize)", "\(row.evaluated)",
        format == .csv ? ReportNumber.csv(row.seconds) : ReportNumber.format(row.seconds, significant: 3),
        format == .csv ? ReportNumber.csv((Double(row.evaluated) / row.seconds).rounded()) : ReportNumber.format(Double(row.evaluated) / row.seconds, significant: 3),
        format == .csv ? ReportNumber.csv(ReportNumber.rounded(row.bestEnergyPJ)) : ReportNumber.format(row.bestEnergyPJ),
      ])
    }
    return table
  }

  /// What the columns mean.
  public var notes: [String] {
    ["space = legal mappings searched (tiles fit every level, spatial factors fit the array, distinct loop orders);",
     "maximal unrollings = spatial factors and PE tiles that cannot grow; branch and bound skips subtrees whose",
     "lower bound cannot beat the best found (same optimum as evaluating the whole space).",
     "Build with -c release for meaningful times."]
  }
}
