import TesseraNN

/// Structured pruning that removes whole Conv2D filters (or hidden Dense neurons) and shrinks
/// every layer that sees them, so the pruned model is really smaller and faster.
///
/// Rules (docs/compression.md):
/// - Targets: every Conv2D of the model; in a model without Conv2D, every Dense except the
///   last. With explicit layer names, exactly those layers.
/// - In each target, `round(fraction · outputs)` outputs are removed (at least one stays):
///   the ones with the smallest L1 norm of their weights (ties: the later one goes).
/// - The removal follows the activation to the next Dense or Conv2D (its consumer): BatchNorm
///   features shrink with it; ReLU, Dropout and pooling pass channels through; Flatten turns
///   channel `c` of a `[C, H, W]` map into the channel-major block of features
///   `c·H·W ..< (c+1)·H·W`; the consumer loses the matching input channels or columns.
/// - A layer whose outputs reach the model's output without a consumer (the classifier) is
///   never a target unless named, and naming it is an error.
///
/// A removed filter whose weights and bias are zero contributes exactly nothing, so on a model
/// without BatchNorm the pruned model computes the same outputs as the original with those
/// filters zeroed (up to float summation order).
enum ChannelPruner {
  /// A new model with `fraction` of the outputs of every target layer removed.
  /// - Throws: ``CompressionError/unsupportedLayer(_:)`` for a layer kind on the path from a
  ///   target to its consumer that is not understood, or a named layer without a consumer.
  static func prune(_ model: Sequential, fraction: Double, layers names: [String]?) throws -> Sequential {
    let shapes = try model.layerShapes()
    var list = try LayerResizing.clone(model).layers
    let targets: [Int]
    if let names {
      targets = try PrunableLayer.selected(in: model, includeLastLayer: true, names: names)
        .compactMap { layer in list.firstIndex { $0.name == layer.name } }
    } else if list.contains(where: { $0 is Conv2D }) {
      targets = list.indices.filter { list[$0] is Conv2D }
    } else {
      targets = Array(list.indices.filter { list[$0] is Dense }.dropLast())
    }
    for target in targets {
      guard try consumer(after: target, in: list) != nil else {
        if names == nil { continue }
        throw CompressionError.unsupportedLayer(
          "layer '\(list[target].name)': its outputs are the model's outputs, so channel pruning cannot remove any")
      }
      guard let keep = keptOutputs(of: list[target], fraction: fraction) else { continue }
      list[target] = try resized(list[target], keepingOutputs: keep)
      var selection = keep
      var index = target + 1
      while index < list.count {
        let layer = list[index]
        if let bn = layer as? BatchNorm {
          list[index] = LayerResizing.batchNorm(bn, keeping: selection)
        } else if layer is Flatten {
          let input = shapes[index].input
          let plane = input.count == 3 ? input[1] * input[2] : 1
          selection = selection.flatMap { c in (c * plane)..<((c + 1) * plane) }
        } else if let dense = layer as? Dense {
          list[index] = LayerResizing.dense(dense, keepingInputs: selection)
          break
        } else if let conv = layer as? Conv2D {
          list[index] = LayerResizing.conv(conv, keepingInputs: selection)
          break
        }
        index += 1
      }
    }
    return Sequential(name: model.name, inputShape: model.inputShape, normalization: model.normalization, layers: list)
  }

  /// Index of the Dense/Conv2D layer that consumes the outputs of `list[target]`, or nil when
  /// they reach the model's output.
  /// - Throws: ``CompressionError/unsupportedLayer(_:)`` for a layer on the way that channel
  ///   pruning cannot pass.
  static func consumer(after target: Int, in list: [any Layer]) throws -> Int? {
    for index in (target + 1)..<max(list.count, target + 1) {
      let layer = list[index]
      if layer is Dense || layer is Conv2D { return index }
      if layer is BatchNorm || layer is ReLU || layer is Dropout || layer is MaxPool2D || layer is AvgPool2D
        || layer is Flatten
      {
        continue
      }
      if layer is Softmax && index == list.count - 1 { return nil }
      throw CompressionError.unsupportedLayer(
        "layer '\(layer.name)' (\(layer.kind)) follows pruned layer '\(list[target].name)'; channel pruning passes only BatchNorm, ReLU, Dropout, pooling and Flatten")
    }
    return nil
  }

  /// The outputs to keep (ascending), or nil when none would be removed.
  static func keptOutputs(of layer: any Layer, fraction: Double) -> [Int]? {
    guard let weight = PrunableLayer.weight(of: layer) else { return nil }
    let outputs = weight.shape[0], width = weight.count / max(outputs, 1)
    let removed = min(outputs - 1, MaskSelection.prunedCount(fraction, of: outputs))
    guard removed > 0 else { return nil }
    let norms = (0..<outputs).map { o in
      weight.value[(o * width)..<((o + 1) * width)].reduce(Float(0)) { $0 + abs($1) }
    }
    // Largest L1 first; on a tie the earlier output stays.
    let order = norms.indices.sorted { a, b in norms[a] != norms[b] ? norms[a] > norms[b] : a < b }
    return order.prefix(outputs - removed).sorted()
  }

  /// The Dense or Conv2D layer with only the outputs `keep`.
  static func resized(_ layer: any Layer, keepingOutputs keep: [Int]) throws -> any Layer {
    if let dense = layer as? Dense { return LayerResizing.dense(dense, keepingOutputs: keep) }
    if let conv = layer as? Conv2D { return LayerResizing.conv(conv, keepingOutputs: keep) }
    throw CompressionError.unsupportedLayer("layer '\(layer.name)' (\(layer.kind)): only Dense and Conv2D outputs can be pruned")
  }
}
