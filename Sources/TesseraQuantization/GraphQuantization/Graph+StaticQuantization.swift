import Foundation
import Tessera
import TesseraGraph

/// One Linear layer to calibrate: the layer (MatMul node) name, the activation value it reads
/// and its input features.
public struct LinearLayerInput: Sendable, Hashable {
  /// The MatMul node's name (the key of the statistics).
  public let layer: String
  /// The activation value it reads.
  public let value: String
  /// Input features K.
  public let channels: Int

  /// Describes one layer's input.
  /// - Parameters:
  ///   - layer: the MatMul node's name.
  ///   - value: the activation it reads.
  ///   - channels: input features K.
  public init(layer: String, value: String, channels: Int) {
    self.layer = layer
    self.value = value
    self.channels = channels
  }
}

extension Graph {
  /// The Linear layers that ``quantizingLinearStatically(statistics:smoothQuant:keepFloat:)``
  /// rewrites, with the activation each reads: what calibration must observe.
  /// - Parameter keepFloat: MatMul node names left in float.
  /// - Returns: one entry per layer, in node order.
  /// - Throws: as ``quantizingLinearDynamically(keepFloat:)``.
  public func linearLayerInputs(keepFloat: Set<String> = []) throws -> [LinearLayerInput] {
    let (_, layers, _) = try linearLayers(keepFloat: keepFloat)
    return layers.keys.sorted().map { LinearLayerInput(layer: layers[$0]!.node.name, value: layers[$0]!.activation, channels: layers[$0]!.k) }
  }

  /// The graph with `values` (intermediate values) appended to its outputs, for calibration.
  /// - Parameter values: value names; outputs already present are not repeated.
  /// - Returns: the graph with inferred types.
  /// - Throws: `GraphIRError` when a value is unknown or has no inferred type.
  public func exposingValues(_ values: [String]) throws -> Graph {
    var g = try inferringTypes()
    var present = Set(g.outputs.map(\.name))
    for name in values where !present.contains(name) {
      guard let type = g.type(of: name) else {
        throw GraphIRError.invalidGraph("cannot expose value '\(name)': it has no inferred type")
      }
      g.outputs.append(ValueInfo(name: name, type: type))
      present.insert(name)
    }
    return try g.validate()
  }

  /// The graph with every Linear layer (as ``quantizingLinearDynamically(keepFloat:)`` finds
  /// them) replaced by a `com.tessera.StaticQuantizedLinear` node whose activation scale and
  /// zero point come from calibration (static quantization), optionally with SmoothQuant scale
  /// migration (Xiao et al., 2023): per input channel k,
  ///
  /// ```
  /// s_k = max|X_k|^α / max_n |W[n][k]|^(1−α)     (1 when either is 0; clamped to [1e-5, 1e5])
  /// W'[n][k] = W[n][k] · s_k,   X'_k = X_k / s_k
  /// ```
  ///
  /// so `X'·W'ᵀ = X·Wᵀ` while outlier channels of X move into the (per-channel quantized)
  /// weights. The activation range is the min/max of `X'` over the calibration rows (widened
  /// to contain 0); the weights are then quantized per output channel as in the dynamic case.
  /// The division by `s_k` happens in the kernel's quantize pass (as a multiplier `1/s_k`), so
  /// it needs no preceding LayerNorm to fold into and works for every layer. With
  /// ``SmoothQuant/auto`` each layer takes the strength (or none) whose int8 output is closest
  /// to float on the rows the statistics sampled; the choice is stored in the node's
  /// `smoothquant_alpha` attribute (absent: none).
  ///
  /// - Parameters:
  ///   - statistics: per-layer input statistics keyed by MatMul node name (see
  ///     ``linearLayerInputs(keepFloat:)``).
  ///   - smoothQuant: the migration (automatic per layer by default).
  ///   - keepFloat: MatMul node names left in float.
  /// - Returns: the rewritten graph; `metadata["tessera.precision"]` is `static-int8`, or
  ///   `static-int8-smoothquant` when any layer migrates.
  /// - Throws: ``QuantizationError/invalidArgument(_:)`` for a layer without statistics (or
  ///   with statistics of another width, or without sampled rows for `.auto`) or α outside
  ///   0…1; as ``quantizingLinearDynamically(keepFloat:)`` otherwise.
  public func quantizingLinearStatically(
    statistics: [String: LinearInputStatistics], smoothQuant: SmoothQuant = .auto, keepFloat: Set<String> = []
  ) throws -> Graph {
    if case let .alpha(alpha) = smoothQuant, !(0...1).contains(alpha) {
      throw QuantizationError.invalidArgument("SmoothQuant alpha \(alpha) is outside 0…1")
    }
    let (float, layers, removed) = try linearLayers(keepFloat: keepFloat)
    var g = float
    var replaced: [Int: Node] = [:]
    var migrated = false
    for (i, layer) in layers {
      let name = layer.node.name
      guard let stats = statistics[name], stats.rows > 0 else {
        throw QuantizationError.invalidArgument("no calibration statistics for Linear layer '\(name)'")
      }
      guard stats.channels == layer.k else {
        throw QuantizationError.invalidArgument("calibration statistics for '\(name)' have \(stats.channels) channels, the layer has \(layer.k)")
      }
      let chosen: StaticLinearCandidate
      switch smoothQuant {
      case .off: chosen = try StaticLinearCandidate(layer, stats, alpha: nil)
      case let .alpha(a): chosen = try StaticLinearCandidate(layer, stats, alpha: a)
      case .auto:
        guard stats.sampledRows > 0 else {
          throw QuantizationError.invalidArgument("SmoothQuant auto needs sampled calibration rows for '\(name)'")
        }
        let reference = StaticLinearCandidate.floatOutput(layer, stats)
        var best: (StaticLinearCandidate, Double)? = nil
        for alpha in SmoothQuant.automaticCandidates {
          let candidate = try StaticLinearCandidate(layer, stats, alpha: alpha)
          let error = try candidate.squaredError(layer, stats, reference: reference)
          if best == nil || error < best!.1 { best = (candidate, error) }
        }
        chosen = best!.0
      }
      let prefix = name + ".static"
      g.initializers[prefix + ".int8"] = try GraphTensor(.int8(chosen.codes), shape: [layer.n, layer.k])
      g.initializers[prefix + ".scale"] = try GraphTensor(float32: chosen.scales, shape: [layer.n])
      var inputs = [layer.activation, prefix + ".int8", prefix + ".scale", layer.bias ?? ""]
      var attributes: [String: Attribute] = [
        TesseraOperators.activationScaleAttribute: .float(chosen.activation.scale),
        TesseraOperators.activationZeroPointAttribute: .int(Int(chosen.activation.zeroPoint)),
      ]
      if let multipliers = chosen.activation.multipliers, let alpha = chosen.alpha {
        g.initializers[prefix + ".multipliers"] = try GraphTensor(float32: multipliers, shape: [layer.k])
        inputs.append(prefix + ".multipliers")
        attributes["smoothquant_alpha"] = .float(alpha)
        migrated = true
      }
      while inputs.last == "" { inputs.removeLast() }
      replaced[i] = Node(
        name: name, op: TesseraOperators.staticQuantizedLinear, domain: TesseraOperators.domain, inputs: inputs,
        outputs: [layer.output], attributes: attributes)
    }
    return try g.replacingLinearLayers(replaced, removing: removed, precision: migrated ? "static-int8-smoothquant" : "static-int8")
  }

  /// SmoothQuant's per-input-channel factors `s_k = max|X_k|^α / max_n |W[n][k]|^(1−α)`.
  /// - Parameters:
  ///   - activationMagnitude: `max|X_k|` per channel.
  ///   - weightsNK: `W[N, K]` row-major.
  ///   - n: output features.
  ///   - alpha: migration strength 0…1.
  /// - Returns: K factors, 1 where either maximum is 0, clamped to [1e-5, 1e5].
  public static func smoothingFactors(activationMagnitude: [Float], weightsNK: [Float], n: Int, alpha: Float) -> [Float] {
    let k = activationMagnitude.count
    var wMax = [Float](repeating: 0, count: k)
    for r in 0..<n { for c in 0..<k { wMax[c] = Swift.max(wMax[c], abs(weightsNK[r * k + c])) } }
    return (0..<k).map { c in
      let (a, w) = (activationMagnitude[c], wMax[c])
      guard a > 0, w > 0 else { return 1 }
      let s = Float(pow(Double(a), Double(alpha)) / pow(Double(w), Double(1 - alpha)))
      return Swift.min(Swift.max(s, 1e-5), 1e5)
    }
  }
}
