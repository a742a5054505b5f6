import Foundation
import TesseraQuantization

/// Per-layer sensitivity of a float network: for each dense/conv layer and each setting, only
/// that layer is perturbed (weights fake-quantized to b bits per channel, or its smallest weights
/// pruned) while every other layer stays float; the float forward pass then gives the output
/// SQNR against the float logits and the top-1 on the given data. The layer's weights are
/// restored before the next one, so the cost is one float forward pass per (layer, setting).
///
/// For example:
/// ```swift
/// let report = try LayerSensitivity(network: net, samples: x, labels: y)
///   .measure(settings: [.bits(8), .bits(4), .pruned(0.5)], model: "lenet")
/// print(report.layers.map { "\($0.layer) \($0.setting): \($0.top1Drop)" })
/// ```
public struct LayerSensitivity: Sendable {
  /// The folded float network.
  public let network: FusedNetwork
  /// `count × network.inputCount` samples.
  public let samples: [Float]
  /// One class label per sample.
  public let labels: [Int]

  /// Makes an analysis over `labels.count` samples.
  /// - Throws: ``CompressionError/invalidArgument(_:)`` when there are no samples or the sizes disagree.
  public init(network: FusedNetwork, samples: [Float], labels: [Int]) throws {
    guard !labels.isEmpty, samples.count == labels.count * network.inputCount else {
      throw CompressionError.invalidArgument(
        "sensitivity needs samples of \(network.inputCount) values, one label each (got \(samples.count) values, \(labels.count) labels)")
    }
    self.network = network
    self.samples = samples
    self.labels = labels
  }

  /// The dense/conv layer names, in network order.
  public var layerNames: [String] { network.operations.filter(\.isQuantizationPoint).map(\.name) }

  /// Measures every (layer, setting) pair.
  /// - Parameters:
  ///   - settings: what to apply to each layer (checked first).
  ///   - model: the model name for the report.
  ///   - progress: called before each layer with its name.
  /// - Returns: the report, layers in network order and settings in the given order.
  /// - Throws: ``CompressionError`` for a bad setting or no settings; `QuantizationError` from the forward pass.
  public func measure(
    settings: [SensitivitySetting], model: String, progress: ((String) -> Void)? = nil
  ) throws -> SensitivityReport {
    guard !settings.isEmpty else { throw CompressionError.invalidArgument("sensitivity needs at least one setting") }
    for s in settings { try s.check() }
    let reference = try network.forward(samples, count: labels.count)
    let baseline = top1(reference)
    var entries = [SensitivityReport.Entry]()
    for (index, op) in network.operations.enumerated() where op.isQuantizationPoint {
      progress?(op.name)
      for setting in settings {
        var perturbed = network
        perturbed.operations[index] = try Self.apply(setting, to: op)
        let logits = try perturbed.forward(samples, count: labels.count)
        let t = top1(logits)
        entries.append(.init(
          layer: op.name, setting: setting.description, top1: t, top1Drop: baseline - t,
          sqnrDecibels: QuantizationMetrics.sqnr(reference: reference, approximation: logits)))
      }
    }
    return SensitivityReport(model: model, baselineTop1: baseline, layers: entries)
  }

  /// Fraction of samples whose largest logit is at the label.
  func top1(_ logits: [Float]) -> Double {
    let classes = logits.count / labels.count
    var correct = 0
    for (i, label) in labels.enumerated() {
      let row = logits[(i * classes)..<((i + 1) * classes)]
      if row.indices.max(by: { row[$0] < row[$1] }).map({ $0 - i * classes }) == label { correct += 1 }
    }
    return Double(correct) / Double(labels.count)
  }

  /// The operation with its weights perturbed by `setting` (bias and everything else unchanged).
  /// - Throws: ``QuantizationError`` for non-finite weights.
  static func apply(_ setting: SensitivitySetting, to op: FusedOperation) throws -> FusedOperation {
    switch op {
    case var .dense(d):
      d.weight = try perturb(d.weight, channels: d.outputs, setting, name: d.name)
      return .dense(d)
    case var .conv(c):
      c.weight = try perturb(c.weight, channels: c.outputChannels, setting, name: c.name)
      return .conv(c)
    default:
      return op
    }
  }

  /// Weights fake-quantized per channel (symmetric, round-to-nearest, default threshold method of
  /// the width) or with their smallest-|w| fraction zeroed (ties broken by index).
  static func perturb(_ w: [Float], channels: Int, _ setting: SensitivitySetting, name: String) throws -> [Float] {
    switch setting {
    case let .bits(b):
      let q = try WeightObserver.quantization(
        weights: w, channels: channels, bits: b, perChannel: true, method: .defaultMethod(bits: b), name: name)
      let columns = w.count / channels
      return q.dequantize(matrix: try q.quantize(matrix: w, columns: columns), columns: columns)
    case let .pruned(s):
      let zeroed = Int((s * Double(w.count)).rounded(.down))
      guard zeroed > 0 else { return w }
      let order = w.indices.sorted { abs(w[$0]) < abs(w[$1]) || (abs(w[$0]) == abs(w[$1]) && $0 < $1) }
      var out = w
      for i in order.prefix(zeroed) { out[i] = 0 }
      return out
    }
  }
}
