import Tessera
import TesseraNN

/// What `tessera compress` did: the method, per weight layer the shape, density and parameters
/// before and after, and the top-1 accuracy before pruning, right after it, and after fine-tuning.
///
/// JSON fields: `model`, `out`, `prune`, `low_rank`, `layers` (array of ``Layer``),
/// `low_rank_layers` (array of ``LowRankLayerReport``), `params_before`, `params_after`,
/// `nonzero_params_after`, `density`, `top1_before`, `top1_pruned`, `top1_fine_tuned`,
/// `epochs` (array of `EpochMetrics`), `fine_tune_seconds`, `bytes`. Accuracies are fractions
/// in [0, 1] on the test split; `top1_fine_tuned` is measured on the written model file.
public struct CompressReport: TabularReport, Sendable, Equatable {
  /// One Dense or Conv2D layer of the compressed model.
  public struct Layer: Sendable, Equatable, Encodable {
    /// Layer name in the compressed model.
    public var name: String
    /// The original layer it comes from (differs for low-rank factors `<source>_v`, `<source>_u`).
    public var source: String
    /// Weight shape of the original layer (nil when the original has no such layer).
    public var shapeBefore: [Int]?
    /// Weight shape now.
    public var shapeAfter: [Int]
    /// Fraction of non-zero weights, in [0, 1].
    public var density: Double
    /// Weights and bias of the original layer (only on the first row of a source).
    public var paramsBefore: Int?
    /// Weights and bias now.
    public var paramsAfter: Int

    enum CodingKeys: String, CodingKey {
      case name, source, density
      case shapeBefore = "shape_before", shapeAfter = "shape_after"
      case paramsBefore = "params_before", paramsAfter = "params_after"
    }

    /// Makes a row.
    /// - Parameters:
    ///   - name: layer name.
    ///   - source: original layer name.
    ///   - shapeBefore: original weight shape.
    ///   - shapeAfter: weight shape now.
    ///   - density: non-zero fraction.
    ///   - paramsBefore: original weights and bias.
    ///   - paramsAfter: weights and bias now.
    public init(
      name: String, source: String, shapeBefore: [Int]?, shapeAfter: [Int], density: Double, paramsBefore: Int?,
      paramsAfter: Int
    ) {
      self.name = name
      self.source = source
      self.shapeBefore = shapeBefore
      self.shapeAfter = shapeAfter
      self.density = density
      self.paramsBefore = paramsBefore
      self.paramsAfter = paramsAfter
    }
  }

  /// Input model file.
  public var model: String
  /// Written model file (nil when none was written).
  public var out: String?
  /// The pruning method (`PruningMethod.description`).
  public var prune: String
  /// The low-rank target (`LowRankTarget.description`), nil without factorization.
  public var lowRank: String?
  /// Per weight layer of the compressed model.
  public var layers: [Layer]
  /// Per factorized layer.
  public var lowRankLayers: [LowRankLayerReport]
  /// Trainable parameters of the original model.
  public var paramsBefore: Int
  /// Trainable parameters of the compressed model.
  public var paramsAfter: Int
  /// Non-zero trainable parameters of the compressed model.
  public var nonzeroParamsAfter: Int
  /// Kept fraction over the masked weights (1 without masks).
  public var density: Double
  /// Test top-1 of the original model.
  public var top1Before: Double
  /// Test top-1 right after pruning/factorization (one-shot, before fine-tuning).
  public var top1Pruned: Double
  /// Test top-1 after fine-tuning, of the written model file.
  public var top1FineTuned: Double
  /// Fine-tuning metrics per epoch.
  public var epochs: [EpochMetrics]
  /// Fine-tuning seconds (evaluation excluded).
  public var fineTuneSeconds: Double
  /// Size of the written file (0 when none).
  public var bytes: Int

  enum CodingKeys: String, CodingKey {
    case model, out, prune, layers, density, epochs, bytes
    case lowRank = "low_rank", lowRankLayers = "low_rank_layers"
    case paramsBefore = "params_before", paramsAfter = "params_after", nonzeroParamsAfter = "nonzero_params_after"
    case top1Before = "top1_before", top1Pruned = "top1_pruned", top1FineTuned = "top1_fine_tuned"
    case fineTuneSeconds = "fine_tune_seconds"
  }

  /// Makes a report.
  /// - Parameters:
  ///   - model: input path.
  ///   - out: output path.
  ///   - prune: pruning method text.
  ///   - lowRank: low-rank target text.
  ///   - layers: per-layer rows (see ``layers(original:compressed:lowRank:)``).
  ///   - lowRankLayers: per factorized layer.
  ///   - paramsBefore: original trainable parameters.
  ///   - paramsAfter: compressed trainable parameters.
  ///   - nonzeroParamsAfter: non-zero compressed parameters.
  ///   - density: kept fraction over the masked weights.
  ///   - top1Before: original top-1.
  ///   - top1Pruned: top-1 right after compression.
  ///   - top1FineTuned: top-1 after fine-tuning.
  ///   - epochs: fine-tuning metrics.
  ///   - bytes: output size.
  public init(
    model: String, out: String?, prune: String, lowRank: String?, layers: [Layer], lowRankLayers: [LowRankLayerReport],
    paramsBefore: Int, paramsAfter: Int, nonzeroParamsAfter: Int, density: Double, top1Before: Double,
    top1Pruned: Double, top1FineTuned: Double, epochs: [EpochMetrics], bytes: Int
  ) {
    self.model = model
    self.out = out
    self.prune = prune
    self.lowRank = lowRank
    self.layers = layers
    self.lowRankLayers = lowRankLayers
    self.paramsBefore = paramsBefore
    self.paramsAfter = paramsAfter
    self.nonzeroParamsAfter = nonzeroParamsAfter
    self.density = density
    self.top1Before = top1Before
    self.top1Pruned = top1Pruned
    self.top1FineTuned = top1FineTuned
    self.epochs = epochs
    self.fineTuneSeconds = epochs.reduce(0) { $0 + $1.seconds }
    self.bytes = bytes
  }

  /// `compress <model> → <out>: prune …, low-rank …`.
  public var title: String? {
    "compress \(model)\(out.map { " → \($0)" } ?? ""): prune \(prune)\(lowRank.map { ", low-rank \($0)" } ?? ""), "
      + "fine-tune \(epochs.count) epoch\(epochs.count == 1 ? "" : "s")"
  }

  /// Accuracy before, after pruning and after fine-tuning; parameters before and after.
  public var notes: [String] {
    func pct(_ x: Double) -> String { ReportNumber.format(100 * x, significant: 4, maxDecimals: 2) + " %" }
    return [
      "top-1: \(pct(top1Before)) before, \(pct(top1Pruned)) after pruning, \(pct(top1FineTuned)) after fine-tuning "
        + "(\(ReportNumber.format(100 * (top1FineTuned - top1Before), significant: 3, maxDecimals: 2)) points)",
      "parameters: \(paramsBefore) → \(paramsAfter) (\(nonzeroParamsAfter) non-zero), masked density "
        + "\(ReportNumber.format(density, significant: 3, maxDecimals: 4)), fine-tuning "
        + "\(ReportNumber.format(fineTuneSeconds, significant: 3, maxDecimals: 2)) s",
    ]
  }

  /// One row per Dense/Conv2D layer of the compressed model.
  /// - Parameter format: table or csv.
  public func table(for format: ReportFormat) -> ReportTable {
    let human = format == .table
    let titles = human
      ? ["layer", "shape before", "shape after", "density", "params before", "params after"]
      : ["layer", "source", "shape_before", "shape_after", "density", "params_before", "params_after"]
    var table = ReportTable(columns: titles.enumerated().map { .init($1, alignment: $0 < (human ? 3 : 4) ? .left : .right) })
    func shape(_ s: [Int]?) -> String { s.map { $0.map(String.init).joined(separator: "x") } ?? "" }
    for row in layers {
      let density = human ? ReportNumber.format(row.density, significant: 3, maxDecimals: 4) : "\(row.density)"
      let cells = human
        ? [row.name, shape(row.shapeBefore), shape(row.shapeAfter), density, row.paramsBefore.map(String.init) ?? "", "\(row.paramsAfter)"]
        : [row.name, row.source, shape(row.shapeBefore), shape(row.shapeAfter), density, row.paramsBefore.map(String.init) ?? "", "\(row.paramsAfter)"]
      try? table.append(cells)
    }
    return table
  }

  /// The per-layer rows comparing the weight layers of `compressed` with those of `original`.
  /// - Parameters:
  ///   - original: the model before compression.
  ///   - compressed: the model after it.
  ///   - lowRank: the factorized layers (their factors point back to them).
  public static func layers(original: Sequential, compressed: Sequential, lowRank: [LowRankLayerReport]) -> [Layer] {
    let factorized = Set(lowRank.map(\.layer))
    var seen = Set<String>()
    return compressed.layers.compactMap { layer in
      guard let weight = PrunableLayer.weight(of: layer) else { return nil }
      var source = layer.name
      for suffix in ["_v", "_u"] where layer.name.hasSuffix(suffix) && factorized.contains(String(layer.name.dropLast(2))) {
        source = String(layer.name.dropLast(2))
      }
      let before = original.layers.first { $0.name == source }
      let beforeWeight = before.flatMap(PrunableLayer.weight(of:))
      let nonzero = weight.value.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
      defer { seen.insert(source) }
      return Layer(
        name: layer.name, source: source, shapeBefore: beforeWeight?.shape, shapeAfter: weight.shape,
        density: weight.count > 0 ? Double(nonzero) / Double(weight.count) : 1,
        paramsBefore: seen.contains(source) ? nil : before.map(weightAndBias), paramsAfter: weightAndBias(layer))
    }
  }

  /// Weights and bias of a Dense or Conv2D layer.
  static func weightAndBias(_ layer: any TesseraNN.Layer) -> Int {
    layer.parameters.filter { $0.role == "weight" || $0.role == "bias" }.reduce(0) { $0 + $1.count }
  }
}
