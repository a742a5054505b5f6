import Tessera
import TesseraNN

/// Wraps a `Dense` or `Conv2D` for quantization-aware training: the forward pass uses
/// fake-quantized weights (per-channel scales recomputed from the current float "shadow"
/// weights each step), the backward pass computes gradients through them and passes them to the
/// shadow weights with the straight-through estimator (clipped weights get no gradient).
final class FakeQuantizedLinear: Layer {
  let inner: any Layer
  let weight: Parameter
  let channels: Int
  let bits: Int
  let perChannel: Bool
  let method: WeightCalibration
  let percentile: Double
  private var cache: (fakeQuantized: [Float], mask: [Bool])?

  init(_ inner: any Layer, weight: Parameter, channels: Int, recipe: QuantizationRecipe) {
    self.inner = inner
    self.weight = weight
    self.channels = channels
    bits = recipe.weightBits
    perChannel = recipe.perChannel
    method = recipe.weightCalibration
    percentile = recipe.percentile
  }

  var name: String {
    get { inner.name }
    set { inner.name = newValue }
  }
  var kind: String { inner.kind }
  var isTraining: Bool {
    get { inner.isTraining }
    set { inner.isTraining = newValue }
  }
  var parameters: [Parameter] { inner.parameters }
  var attributes: [String: GraphValue] { inner.attributes }
  func outputShape(for inputShape: [Int]) throws -> [Int] { try inner.outputShape(for: inputShape) }
  func multiplyAccumulates(for inputShape: [Int]) -> Int { inner.multiplyAccumulates(for: inputShape) }

  func callAsFunction(_ input: Tensor<Float>) throws -> Tensor<Float> {
    let shadow = weight.value
    let q = try WeightObserver.quantization(
      weights: shadow, channels: channels, bits: bits, perChannel: perChannel, method: method, percentile: percentile, name: name)
    var mask = [Bool]()
    let fakeQuantized = try FakeQuantization.forward(weights: shadow, q, mask: &mask)
    weight.value = fakeQuantized
    defer { weight.value = shadow }
    let y = try inner(input)
    cache = isTraining ? (fakeQuantized, mask) : nil
    return y
  }

  func backward(_ outputGradient: Tensor<Float>) throws -> Tensor<Float> {
    guard let cache else { throw TesseraError.invalidArgument("\(name): backward without a training forward pass") }
    let shadow = weight.value
    weight.value = cache.fakeQuantized
    defer { weight.value = shadow }
    let dx = try inner.backward(outputGradient)
    for i in weight.gradient.indices where !cache.mask[i] { weight.gradient[i] = 0 }
    return dx
  }
}

/// Fake-quantizes an activation tensor on the int8 grid. In training mode the range follows an
/// exponential moving average of each batch's min and max (starting from the calibrated range);
/// the backward pass is the straight-through estimator.
final class ActivationFakeQuantizer: Layer {
  var name: String
  var kind: String { "fake_quant" }
  var isTraining = true
  /// Running range.
  private(set) var low: Float
  private(set) var high: Float
  /// Weight of the old range in the moving average (0 = fixed range).
  let momentum: Float
  /// Symmetric grid (zero point 0).
  let symmetric: Bool
  private var mask: [Bool]?

  init(name: String, low: Float, high: Float, momentum: Float, symmetric: Bool = false) {
    self.name = name
    self.low = low
    self.high = high
    self.momentum = momentum
    self.symmetric = symmetric
  }

  /// The current int8 parameters.
  func quantization() throws -> AffineQuantization {
    try AffineQuantization(min: low, max: high, grid: .activations, symmetric: symmetric, what: name)
  }

  func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }

  func callAsFunction(_ input: Tensor<Float>) throws -> Tensor<Float> {
    let x = input.scalars
    if isTraining && momentum > 0, let lo = x.min(), let hi = x.max() {
      low = momentum * low + (1 - momentum) * lo
      high = momentum * high + (1 - momentum) * hi
    }
    var m = [Bool]()
    let y = FakeQuantization.forward(x, try quantization(), mask: &m)
    mask = isTraining ? m : nil
    return try Tensor(shape: input.shape, scalars: y)
  }

  func backward(_ outputGradient: Tensor<Float>) throws -> Tensor<Float> {
    guard let mask else { throw TesseraError.invalidArgument("\(name): backward without a training forward pass") }
    return try Tensor(shape: outputGradient.shape, scalars: FakeQuantization.backward(outputGradient.scalars, mask: mask))
  }
}
