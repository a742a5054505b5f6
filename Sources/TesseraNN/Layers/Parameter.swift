import Tessera

/// A named float array owned by a layer, with its gradient.
///
/// Layers overwrite ``gradient`` in ``Layer/backward(_:)``; optimizers read it and update
/// ``value`` in place. Non-trainable state (BatchNorm running statistics) is a parameter with
/// ``isTrainable`` false: it is saved in model files but never touched by optimizers.
///
/// For example:
/// ```swift
/// let dense = Dense(inputs: 4, outputs: 2)
/// dense.weight.shape        // [2, 4]
/// dense.weight.tensor       // Tensor<Float> view of the values
/// ```
public final class Parameter {
  /// Role inside the layer (`"weight"`, `"bias"`, `"running_mean"`, `"running_var"`); the model
  /// file names the tensor `<layer name>.<role>`.
  public let role: String
  /// Shape of the values (row-major).
  public let shape: [Int]
  /// The values, row-major, `shape.reduce(1, *)` elements.
  public var value: [Float]
  /// dLoss/dValue from the last backward pass (same size as ``value``).
  public var gradient: [Float]
  /// False for state that optimizers must leave alone.
  public let isTrainable: Bool
  /// True when weight decay applies (weights, not biases or normalization parameters).
  public let decays: Bool

  /// Makes a parameter filled with `initialValue`.
  /// - Parameters:
  ///   - role: role name inside the layer.
  ///   - shape: shape of the values.
  ///   - initialValue: fill value.
  ///   - isTrainable: false for running statistics.
  ///   - decays: whether weight decay applies.
  public init(role: String, shape: [Int], initialValue: Float = 0, isTrainable: Bool = true, decays: Bool = false) {
    self.role = role
    self.shape = shape
    let count = shape.reduce(1, *)
    self.value = [Float](repeating: initialValue, count: count)
    self.gradient = [Float](repeating: 0, count: isTrainable ? count : 0)
    self.isTrainable = isTrainable
    self.decays = decays
  }

  /// Number of elements.
  public var count: Int { value.count }

  /// The values as a tensor of ``shape``.
  /// - Throws: `TesseraError.invalidShape(operation:shape:reason:)` when ``value`` was
  ///   replaced by an array of the wrong size.
  public var tensor: Tensor<Float> {
    get throws { try Tensor(shape: shape, scalars: value) }
  }

  /// Replaces the values.
  /// - Parameter tensor: new values; must have exactly ``shape``.
  /// - Throws: `TesseraError.shapeMismatch(operation:lhs:rhs:)` when shapes differ.
  public func assign(_ tensor: Tensor<Float>) throws {
    guard tensor.shape == shape else {
      throw TesseraError.shapeMismatch(operation: "assign \(role)", lhs: shape, rhs: tensor.shape)
    }
    value = tensor.scalars
  }

  /// Fills the values uniformly in `-bound...bound`.
  func fillUniform(bound: Float, using generator: inout SplitMix64) {
    for i in value.indices { value[i] = (generator.nextFloat() * 2 - 1) * bound }
  }
}
