import Foundation
import Tessera

/// The report of `tessera inspect`: every layer of a model file with its shapes, parameter
/// count, multiply-accumulates per sample and weight dtype, plus totals and size.
///
/// JSON fields: `file`, `model`, `bytes` (file size), `tensor_bytes`, `parameters`, `macs`,
/// `input` (`shape`, `dtype`, `normalization`), `layers` (`name`, `kind`, `input_shape`,
/// `output_shape`, `parameters`, `macs`, `dtype`, `attributes`), `training` (the recorded
/// training settings and results, or null).
public struct InspectReport: TabularReport, Sendable, Equatable {
  /// One layer.
  public struct LayerRow: Sendable, Equatable, Encodable {
    /// Layer name.
    public var name: String
    /// Layer kind.
    public var kind: String
    /// Per-sample input shape.
    public var inputShape: [Int]?
    /// Per-sample output shape.
    public var outputShape: [Int]?
    /// Elements of all the layer's tensors.
    public var parameters: Int
    /// Multiply-accumulates per sample (0 for layers without arithmetic or of unknown kind).
    public var macs: Int
    /// Dtype of the `weight` tensor (or of the first tensor), `-` without tensors.
    public var dtype: String
    /// The layer's attributes.
    public var attributes: [String: GraphValue]

    enum CodingKeys: String, CodingKey {
      case name, kind, parameters, macs, dtype, attributes
      case inputShape = "input_shape", outputShape = "output_shape"
    }
  }

  /// The inspected path.
  public var file: String
  /// Model name from the graph.
  public var model: String
  /// File size in bytes.
  public var bytes: Int
  /// Bytes of tensor data.
  public var tensorBytes: Int
  /// Total tensor elements.
  public var parameters: Int
  /// Total multiply-accumulates per sample.
  public var macs: Int
  /// The model input.
  public var input: ModelGraph.InputSpec
  /// The layers.
  public var layers: [LayerRow]
  /// The training record, when present.
  public var training: [String: GraphValue]?

  enum CodingKeys: String, CodingKey {
    case file, model, bytes, parameters, macs, input, layers, training
    case tensorBytes = "tensor_bytes"
  }

  /// Encodes every field, with `training` as null when absent.
  /// - Throws: `EncodingError` for non-finite numbers.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(file, forKey: .file)
    try c.encode(model, forKey: .model)
    try c.encode(bytes, forKey: .bytes)
    try c.encode(tensorBytes, forKey: .tensorBytes)
    try c.encode(parameters, forKey: .parameters)
    try c.encode(macs, forKey: .macs)
    try c.encode(input, forKey: .input)
    try c.encode(layers, forKey: .layers)
    try c.encode(training.map(GraphValue.object) ?? .null, forKey: .training)
  }

  /// Builds the report of a model file.
  /// - Parameters:
  ///   - modelFile: the validated file.
  ///   - path: its path (for the title).
  ///   - fileBytes: its size on disk.
  public init(modelFile: ModelFile, path: String, fileBytes: Int) {
    file = path
    model = modelFile.graph.name
    bytes = fileBytes
    tensorBytes = modelFile.tensorBytes
    input = modelFile.graph.input
    training = modelFile.training
    var shape: [Int]? = modelFile.graph.input.shape
    var rows = [LayerRow]()
    for spec in modelFile.graph.layers {
      let inputShape = spec.inputShape ?? shape
      var outputShape = spec.outputShape
      var macs = 0
      if LayerKinds.all.contains(spec.kind), let inputShape, let layer = try? LayerKinds.makeLayer(spec) {
        outputShape = (try? layer.outputShape(for: inputShape)) ?? outputShape
        macs = layer.multiplyAccumulates(for: inputShape)
      }
      let stored = spec.tensors.keys.sorted().compactMap { modelFile.tensors[spec.tensors[$0]!] }
      let weight = spec.tensors["weight"].flatMap { modelFile.tensors[$0] } ?? stored.first
      rows.append(LayerRow(
        name: spec.name, kind: spec.kind, inputShape: inputShape, outputShape: outputShape,
        parameters: stored.reduce(0) { $0 + $1.count } + Self.compactExtra(spec, weight), macs: macs, dtype: weight?.dtype.rawValue ?? "-",
        attributes: spec.attributes))
      shape = outputShape
    }
    layers = rows
    parameters = modelFile.tensors.names.reduce(0) { $0 + (modelFile.tensors[$1]?.count ?? 0) }
      + modelFile.graph.layers.reduce(0) { $0 + Self.compactExtra($1, $1.tensors["weight"].flatMap { modelFile.tensors[$0] }) }
    macs = rows.reduce(0) { $0 + $1.macs }
  }

  /// `<file>: <model>, input [1, 28, 28]`.
  public var title: String? {
    let normalization = input.normalization.map { ", normalization mean \($0.mean) std \($0.std)" } ?? ""
    return "\(file): model \(model), input \(input.shape) \(input.dtype)\(normalization)"
  }

  /// Totals, size and the training record.
  public var notes: [String] {
    var lines = [
      "total: \(parameters) parameters, \(macs) MACs per sample, \(tensorBytes) bytes of tensors, file \(bytes) bytes (\(String(format: "%.1f", Double(bytes) / 1024)) KiB)"
    ]
    if let training {
      let keys = ["epochs", "optimizer", "lr", "batch_size", "seed", "augment", "final_test_acc", "train_seconds"]
      let parts = keys.compactMap { key in
        training[key].map { value in
          let text = value.double.map { value.int == nil ? ReportNumber.format($0, significant: 4, maxDecimals: 4) : "\(value)" } ?? "\(value)"
          return "\(key) \(text)"
        }
      }
      lines.append("trained: " + parts.joined(separator: ", "))
    }
    return lines
  }

  /// One row per layer.
  /// - Parameter format: table or csv.
  public func table(for format: ReportFormat) -> ReportTable {
    let human = format == .table
    var table = ReportTable(columns: [
      .init("layer"), .init("kind"), .init(human ? "input" : "input_shape"), .init(human ? "output" : "output_shape"),
      .init(human ? "params" : "parameters", alignment: .right), .init(human ? "MACs" : "macs", alignment: .right),
      .init("dtype"), .init("attributes"),
    ])
    func shapeText(_ s: [Int]?) -> String {
      guard let s else { return "?" }
      return human ? s.map(String.init).joined(separator: "×") : s.map(String.init).joined(separator: "x")
    }
    for row in layers {
      let attributes = row.attributes.keys.sorted().map { "\($0)=\(row.attributes[$0]!)" }.joined(separator: " ")
      try? table.append([
        row.name, row.kind, shapeText(row.inputShape), shapeText(row.outputShape), "\(row.parameters)", "\(row.macs)",
        row.dtype, attributes,
      ])
    }
    return table
  }

  /// Weights stored compactly (``CompactWeights``) count as their codes, not their bytes:
  /// the difference to add to the stored element count.
  static func compactExtra(_ spec: LayerSpec, _ weight: StoredTensor?) -> Int {
    guard let weight, CompactWeights.encoding(of: spec) != .dense, let count = CompactWeights.weightCount(of: spec) else { return 0 }
    return count - weight.count
  }
}
