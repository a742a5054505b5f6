import Foundation
import Tessera

/// The `tessera quantize --mixed-precision` report: the uniform and the mixed assignment side by
/// side. JSON: `{"model", "hardware", "max_drop_points", "float_top1", "assignments": [{"name",
/// "layer_bits", "top1", "drop_points", "energy_pj", "latency_s", "model_bytes"}], "steps":
/// [{"layer", "bits", "top1", "energy_pj", "kept"}]}`; rates are fractions in [0, 1].
public struct MixedPrecisionReport: Sendable, Equatable, Encodable, TabularReport {
  /// One assignment's figures.
  public struct Assignment: Sendable, Equatable, Encodable {
    /// `uniform-8` or `mixed`.
    public var name: String
    /// Bits by layer name.
    public var layerBits: [String: Int]
    /// Measured top-1 of the real int8 network.
    public var top1: Double
    /// Float top-1 minus ``top1``, in points.
    public var dropPoints: Double
    /// Modeled energy of one inference, pJ.
    public var energyPicojoules: Double
    /// Modeled latency of one inference, s.
    public var latencySeconds: Double
    /// Bytes of the int8 model file.
    public var modelBytes: Int

    /// Makes an assignment row.
    public init(
      name: String, layerBits: [String: Int], top1: Double, floatTop1: Double, energyPicojoules: Double,
      latencySeconds: Double, modelBytes: Int
    ) {
      self.name = name
      self.layerBits = layerBits
      self.top1 = top1
      dropPoints = ReportNumber.rounded(100 * (floatTop1 - top1))
      self.energyPicojoules = ReportNumber.rounded(energyPicojoules, decimals: 1)
      self.latencySeconds = latencySeconds
      self.modelBytes = modelBytes
    }

    enum CodingKeys: String, CodingKey {
      case name, top1
      case layerBits = "layer_bits"
      case dropPoints = "drop_points"
      case energyPicojoules = "energy_pj"
      case latencySeconds = "latency_s"
      case modelBytes = "model_bytes"
    }
  }

  /// One tried move of the greedy search.
  public struct Step: Sendable, Equatable, Encodable {
    /// The layer narrowed.
    public var layer: String
    /// Its new width.
    public var bits: Int
    /// Measured top-1 with the move.
    public var top1: Double
    /// Modeled energy with the move, pJ.
    public var energyPicojoules: Double
    /// Kept (within budget) or rejected.
    public var kept: Bool

    enum CodingKeys: String, CodingKey {
      case layer, bits, top1, kept
      case energyPicojoules = "energy_pj"
    }
  }

  /// Model path.
  public var model: String
  /// Hardware the energies are modeled on.
  public var hardware: String
  /// The budget, points below float.
  public var maxDropPoints: Double
  /// Float top-1.
  public var floatTop1: Double
  /// Layer names in network order (for the table).
  public var layerOrder: [String]
  /// Uniform first, then mixed.
  public var assignments: [Assignment]
  /// The search's moves.
  public var steps: [Step]

  /// Makes a report from a search result (cost = energy in pJ).
  /// - Parameters:
  ///   - model: model path.
  ///   - hardware: hardware name.
  ///   - maxDropPoints: the budget.
  ///   - result: the search result.
  ///   - latency: modeled latency of an assignment, s.
  ///   - modelBytes: model file bytes of an assignment.
  public init(
    model: String, hardware: String, maxDropPoints: Double, result: MixedPrecisionResult,
    latency: (MixedPrecisionSearch.Assignment) -> Double, modelBytes: (MixedPrecisionSearch.Assignment) -> Int
  ) {
    self.model = model
    self.hardware = hardware
    self.maxDropPoints = maxDropPoints
    floatTop1 = result.floatTop1
    layerOrder = result.layers
    let widest = result.uniform.values.first ?? 8
    assignments = [
      Assignment(
        name: "uniform-\(widest)", layerBits: result.uniform, top1: result.uniformTop1, floatTop1: result.floatTop1,
        energyPicojoules: result.uniformCost, latencySeconds: latency(result.uniform), modelBytes: modelBytes(result.uniform)),
      Assignment(
        name: "mixed", layerBits: result.assignment, top1: result.top1, floatTop1: result.floatTop1,
        energyPicojoules: result.cost, latencySeconds: latency(result.assignment), modelBytes: modelBytes(result.assignment)),
    ]
    steps = result.steps.map {
      Step(layer: $0.layer, bits: $0.bits, top1: $0.top1, energyPicojoules: ReportNumber.rounded($0.cost, decimals: 1), kept: $0.kept)
    }
  }

  enum CodingKeys: String, CodingKey {
    case model, hardware, assignments, steps
    case maxDropPoints = "max_drop_points"
    case floatTop1 = "float_top1"
  }

  /// `mixed precision for <model> on <hardware> …`.
  public var title: String? {
    "mixed precision for \(model) on \(hardware): float top-1 \(ReportNumber.format(100 * floatTop1)) %, budget −\(String(format: "%.2f", maxDropPoints)) points"
  }

  /// Energy saving of the mixed assignment against uniform.
  public var notes: [String] {
    guard assignments.count == 2, assignments[0].energyPicojoules > 0 else { return [] }
    let saving = 100 * (1 - assignments[1].energyPicojoules / assignments[0].energyPicojoules)
    let tried = steps.count, kept = steps.filter(\.kept).count
    return ["mixed: \(ReportNumber.format(saving)) % less modeled energy than \(assignments[0].name); \(kept) of \(tried) tried moves kept"]
  }

  /// One row per assignment.
  public func table(for format: ReportFormat) -> ReportTable {
    let human = format == .table
    var table = ReportTable(columns: human
      ? [.init("assignment"), .init("bits"), .init("top-1 %", alignment: .right), .init("drop", alignment: .right),
         .init("energy µJ", alignment: .right), .init("latency µs", alignment: .right), .init("bytes", alignment: .right)]
      : [.init("name"), .init("layer_bits"), .init("top1"), .init("drop_points"), .init("energy_pj"), .init("latency_s"), .init("model_bytes")])
    for a in assignments {
      let bits = layerOrder.map { "\($0)=\(a.layerBits[$0] ?? 0)" }.joined(separator: human ? "," : ";")
      try? table.append(human
        ? [a.name, bits, String(format: "%.2f", 100 * a.top1), String(format: "%.2f", a.dropPoints),
           ReportNumber.format(a.energyPicojoules / 1e6), ReportNumber.format(a.latencySeconds * 1e6), "\(a.modelBytes)"]
        : [a.name, bits, ReportNumber.csv(a.top1), ReportNumber.csv(a.dropPoints), ReportNumber.csv(a.energyPicojoules),
           ReportNumber.csv(a.latencySeconds), "\(a.modelBytes)"])
    }
    return table
  }
}
