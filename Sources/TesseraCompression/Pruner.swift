import TesseraNN

/// Prunes float models: unstructured magnitude (per layer or global), N:M and channel pruning.
///
/// Magnitude, global and N:M pruning zero weights in place and return the ``PruningMasks``
/// that keep them at zero during fine-tuning; channel pruning returns a new, smaller model
/// (the original is left untouched) and no masks. See docs/compression.md.
///
/// For example:
/// ```swift
/// let (pruned, masks) = try Pruner.prune(model, method: try PruningMethod(parsing: "2:4"))
/// let history = try FineTuner.fineTune(pruned, method: .nOfM(n: 2, m: 4), masks: masks,
///                                      train: train, test: test, settings: FineTuning())
/// ```
public enum Pruner {
  /// Prunes `model` in place where shapes stay (magnitude, global, N:M), or returns a new smaller
  /// `Sequential` for ``PruningMethod/channel(fraction:)``.
  ///
  /// - Parameters:
  ///   - model: a float model (exported, BatchNorm-folded, or a training model with BatchNorm and Dropout).
  ///   - method: the pruning method.
  ///   - includeLastLayer: also prune the last weight layer (the classifier); off by default.
  ///     Channel pruning never removes the model's outputs.
  ///   - layers: prune only these Dense/Conv2D layers (nil = every eligible layer).
  /// - Returns: the pruned model (the same object unless the method is `channel`) and the masks
  ///   (nil for `dense` and `channel`).
  /// - Throws: ``CompressionError`` for an invalid method, an unknown layer name, or a model
  ///   whose channels cannot be removed (a layer kind between a pruned layer and its consumer
  ///   that channel pruning does not know).
  /// - Complexity: O(w log w) for w prunable weights.
  public static func prune(
    _ model: Sequential, method: PruningMethod, includeLastLayer: Bool = false, layers: [String]? = nil
  ) throws -> (model: Sequential, masks: PruningMasks?) {
    try method.validate()
    switch method {
    case .dense:
      return (model, nil)
    case let .channel(fraction):
      return (try ChannelPruner.prune(model, fraction: fraction, layers: layers), nil)
    case .magnitude, .globalMagnitude, .nOfM:
      let masks = try self.masks(for: model, method: method, includeLastLayer: includeLastLayer, layers: layers)
      masks.apply(to: model)
      return (model, masks)
    }
  }

  /// The keep masks `method` chooses for the current weights of `model`, without changing them.
  /// - Parameters:
  ///   - model: the model.
  ///   - method: magnitude, global or N:M (dense gives all-true masks; channel is not a mask method).
  ///   - includeLastLayer: also mask the last weight layer.
  ///   - layers: only these layers (nil = every eligible layer).
  /// - Returns: one mask per selected layer.
  /// - Throws: ``CompressionError/invalidArgument(_:)`` for `channel`, and what ``prune(_:method:includeLastLayer:layers:)`` throws.
  public static func masks(
    for model: Sequential, method: PruningMethod, includeLastLayer: Bool = false, layers: [String]? = nil
  ) throws -> PruningMasks {
    try method.validate()
    let selected = try PrunableLayer.selected(in: model, includeLastLayer: includeLastLayer, names: layers)
    let weights = selected.compactMap(PrunableLayer.weight(of:))
    let keeps: [[Bool]]
    switch method {
    case .dense:
      keeps = weights.map { [Bool](repeating: true, count: $0.count) }
    case let .magnitude(sparsity):
      keeps = weights.map { MaskSelection.magnitude($0.value, sparsity: sparsity) }
    case let .globalMagnitude(sparsity):
      keeps = MaskSelection.global(weights.map(\.value), sparsity: sparsity)
    case let .nOfM(n, m):
      keeps = weights.map { MaskSelection.nOfM($0.value, rows: $0.shape[0], n: n, m: m) }
    case .channel:
      throw CompressionError.invalidArgument("channel pruning removes whole filters and has no masks; use Pruner.prune")
    }
    return PruningMasks(layers: zip(selected, zip(weights, keeps)).map { layer, pair in
      PruningMasks.LayerMask(layer: layer.name, shape: pair.0.shape, keep: pair.1)
    })
  }

  /// Fraction of zero weights in every Dense and Conv2D layer of `model`, by layer name.
  /// - Parameter model: the model.
  public static func sparsityByLayer(_ model: Sequential) -> [(layer: String, sparsity: Double)] {
    model.layers.compactMap { layer in
      guard let weight = PrunableLayer.weight(of: layer), weight.count > 0 else { return nil }
      let zeros = weight.value.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
      return (layer.name, Double(zeros) / Double(weight.count))
    }
  }
}
