import TesseraNN

/// Keep masks over the weights of the pruned layers of a model: `true` keeps a weight, `false`
/// holds it at zero.
///
/// Masks cover **weights only** (Dense `[out, in]`, Conv2D `[out, in, kh, kw]`); biases,
/// BatchNorm parameters and layers without a mask are never masked. By default
/// ``Pruner`` leaves the model's last weight layer (the classifier) without a mask, since its few
/// weights decide every class score (pass `includeLastLayer: true` to prune it too).
///
/// A mask is tied to its layer by name and to the weight by shape; ``apply(to:)`` sets every
/// masked-out weight to zero, and ``FineTuner`` calls it after every optimizer step, so zeros
/// stay zero while the kept weights train.
///
/// For example:
/// ```swift
/// let (model, masks) = try Pruner.prune(net, method: .nOfM(n: 2, m: 4))
/// masks?.density          // 0.5
/// masks?.apply(to: model) // after any update of the weights
/// ```
public struct PruningMasks: Sendable, Equatable {
  /// The keep mask of one layer's weight.
  public struct LayerMask: Sendable, Equatable {
    /// Name of the layer (`Layer.name`).
    public var layer: String
    /// Shape of the masked weight.
    public var shape: [Int]
    /// One flag per weight, row-major like `Parameter.value`; `true` keeps the weight.
    public var keep: [Bool]

    /// Makes a layer mask.
    /// - Parameters:
    ///   - layer: the layer's name.
    ///   - shape: the weight's shape.
    ///   - keep: one flag per weight (`shape.reduce(1, *)` of them).
    public init(layer: String, shape: [Int], keep: [Bool]) {
      self.layer = layer
      self.shape = shape
      self.keep = keep
    }

    /// Number of kept weights.
    public var keptCount: Int { keep.reduce(0) { $0 + ($1 ? 1 : 0) } }
    /// Kept fraction, in [0, 1].
    public var density: Double { keep.isEmpty ? 1 : Double(keptCount) / Double(keep.count) }
  }

  /// The masks, in model order.
  public var layers: [LayerMask]

  /// Makes a set of masks.
  /// - Parameter layers: one mask per pruned layer.
  public init(layers: [LayerMask]) { self.layers = layers }

  /// Kept fraction over all masked weights (1 when nothing is masked).
  public var density: Double {
    let total = layers.reduce(0) { $0 + $1.keep.count }
    guard total > 0 else { return 1 }
    return Double(layers.reduce(0) { $0 + $1.keptCount }) / Double(total)
  }

  /// Masks that keep exactly the non-zero weights of the named Dense/Conv2D layers of `model`
  /// (for example after gradual pruning, to report or hold the final pattern). Names that are
  /// not weight layers of the model are skipped.
  /// - Parameters:
  ///   - model: the model.
  ///   - layers: the layer names.
  public init(nonZerosOf model: Sequential, layers: [String]) {
    self.layers = layers.compactMap { name in
      Self.weight(of: name, in: model).map { LayerMask(layer: name, shape: $0.shape, keep: $0.value.map { $0 != 0 }) }
    }
  }

  /// The mask of the layer called `name`, or nil.
  /// - Parameter name: a layer name.
  public func mask(for name: String) -> LayerMask? { layers.first { $0.layer == name } }

  /// Sets every masked-out weight of `model` to zero. Layers that are missing from the model, or
  /// whose weight no longer has the mask's shape, are left alone (``check(against:)`` reports them).
  /// - Parameter model: the model the masks were made for.
  /// - Complexity: O(masked weights).
  public func apply(to model: Sequential) {
    for mask in layers {
      guard let weight = Self.weight(of: mask.layer, in: model), weight.shape == mask.shape else { continue }
      mask.keep.withUnsafeBufferPointer { keep in
        weight.value.withUnsafeMutableBufferPointer { w in
          for i in 0..<w.count where !keep[i] { w[i] = 0 }
        }
      }
    }
  }

  /// Throws unless every mask names a Dense or Conv2D layer of `model` whose weight has the mask's shape.
  /// - Parameter model: the model.
  /// - Throws: ``CompressionError/invalidArgument(_:)`` naming the first mismatch.
  public func check(against model: Sequential) throws {
    for mask in layers {
      guard let weight = Self.weight(of: mask.layer, in: model) else {
        throw CompressionError.invalidArgument("pruning mask for '\(mask.layer)': the model has no Dense or Conv2D layer of that name")
      }
      guard weight.shape == mask.shape, mask.keep.count == weight.count else {
        throw CompressionError.invalidArgument(
          "pruning mask for '\(mask.layer)' has shape \(mask.shape), the layer's weight is \(weight.shape)")
      }
    }
  }

  /// The weight parameter of the Dense or Conv2D layer called `name`.
  static func weight(of name: String, in model: Sequential) -> Parameter? {
    guard let layer = model.layers.first(where: { $0.name == name }) else { return nil }
    return PrunableLayer.weight(of: layer)
  }
}
