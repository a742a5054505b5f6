import Tessera
import TesseraNN

/// Quantization-aware training starting from a float network: builds a training graph with
/// fake-quantized weights and activations (straight-through estimator), fine-tunes it with Adam
/// on the training split, and returns the fine-tuned float weights plus the activation ranges
/// to convert with. See docs/quantization.md §8.
///
/// For example:
/// ```swift
/// var qat = QATTrainer(network: net, recipe: QuantizationRecipe(weightBits: 4), epochs: 3)
/// let result = try qat.train(on: trainSplit, calibration: calibrationSamples)
/// ```
public struct QATTrainer {
  /// The float network to start from.
  public var network: FusedNetwork
  /// Bits, granularity and calibration of the fake quantizers.
  public var recipe: QuantizationRecipe
  /// Passes over the training data.
  public var epochs: Int
  /// The largest number of QAT epochs accepted (fine-tuning needs a handful).
  public static let maxEpochs = 10_000
  /// Adam learning rate (cosine-decayed to 0).
  public var learningRate: Float
  /// Shuffling seed.
  public var seed: UInt64
  /// Mini-batch size.
  public var batchSize: Int

  /// Makes a trainer.
  /// - Parameters:
  ///   - network: the float starting point.
  ///   - recipe: quantization settings.
  ///   - epochs: epochs.
  ///   - learningRate: peak Adam learning rate.
  ///   - seed: shuffling seed.
  ///   - batchSize: mini-batch size.
  public init(network: FusedNetwork, recipe: QuantizationRecipe, epochs: Int = 3, learningRate: Float = 1e-4, seed: UInt64 = 7, batchSize: Int = 64) {
    self.network = network
    self.recipe = recipe
    self.epochs = epochs
    self.learningRate = learningRate
    self.seed = seed
    self.batchSize = batchSize
  }

  /// What QAT produced.
  public struct Result {
    /// The fine-tuned float network (same structure).
    public var network: FusedNetwork
    /// Activation parameters learned during training, by operation index (−1 = input).
    public var activations: [Int: AffineQuantization]
    /// Fake-quantized top-1 on the calibration samples after the last epoch.
    public var trainAccuracy: Double
  }

  /// Calibrates initial ranges on `calibration`, then trains on `train`.
  /// - Parameters:
  ///   - train: training split.
  ///   - calibration: samples for the initial ranges and for the per-epoch accuracy.
  ///   - onEpoch: called with (epoch, mean loss, fake-quantized top-1 on `calibration`).
  /// - Throws: ``QuantizationError`` for data of the wrong shape or `epochs` outside 1...``maxEpochs``,
  ///   `TesseraError` from training.
  public mutating func train(
    on train: Dataset, calibration: Dataset, onEpoch: ((Int, Double, Double) -> Void)? = nil
  ) throws -> Result {
    guard (1...Self.maxEpochs).contains(epochs) else {
      throw QuantizationError.invalidArgument("QAT epochs \(epochs) is outside 1...\(Self.maxEpochs)")
    }
    guard train.sampleSize == network.inputCount, calibration.sampleSize == network.inputCount else {
      throw QuantizationError.shapeMismatch(what: "QAT data", expected: network.inputShape, got: train.sampleShape)
    }
    let initial = try Calibration(network: network, samples: calibration.pixels, count: calibration.count)
    let options = CalibrationOptions(method: recipe.method, percentile: recipe.percentile)
    let lastLinear = network.operations.lastIndex(where: \.isQuantizationPoint)
    let inputRange = try initial.input.range(CalibrationOptions(method: .minmax))
    let inputQuantizer = ActivationFakeQuantizer(name: "input.fake_quant", low: inputRange.lo, high: inputRange.hi, momentum: 0)
    var layers: [any Layer] = [inputQuantizer]
    var quantizers = [Int: ActivationFakeQuantizer]()
    var linears = [Int: FakeQuantizedLinear]()
    for (index, op) in network.operations.enumerated() {
      switch op {
      case let .dense(d):
        let layer = Dense(inputs: d.inputs, outputs: d.outputs, bias: true, name: d.name)
        layer.weight.value = d.weight
        layer.bias!.value = d.bias
        let wrapped = FakeQuantizedLinear(layer, weight: layer.weight, channels: d.outputs, recipe: recipe)
        linears[index] = wrapped
        layers.append(wrapped)
        if d.relu { layers.append(ReLU(name: "\(d.name).relu")) }
      case let .conv(c):
        let g = c.geometry
        let layer = Conv2D(
          inputChannels: g.channels, outputChannels: c.outputChannels, kernelSize: (g.kernelHeight, g.kernelWidth),
          stride: (g.strideY, g.strideX), padding: (g.padY, g.padX), bias: true, name: c.name)
        layer.weight.value = c.weight
        layer.bias!.value = c.bias
        let wrapped = FakeQuantizedLinear(layer, weight: layer.weight, channels: c.outputChannels, recipe: recipe)
        linears[index] = wrapped
        layers.append(wrapped)
        if c.relu { layers.append(ReLU(name: "\(c.name).relu")) }
      case let .maxPool(name, g):
        layers.append(MaxPool2D(kernelSize: (g.kernelHeight, g.kernelWidth), stride: (g.strideY, g.strideX), padding: (g.padY, g.padX), name: name))
      case let .avgPool(name, g):
        layers.append(AvgPool2D(kernelSize: (g.kernelHeight, g.kernelWidth), stride: (g.strideY, g.strideX), padding: (g.padY, g.padX), name: name))
      case let .relu(name):
        layers.append(ReLU(name: name))
      case let .flatten(name):
        layers.append(Flatten(name: name))
      }
      if op.isQuantizationPoint, let observer = initial.outputs[index] {
        let r = try observer.range(index == lastLinear ? CalibrationOptions(method: .minmax) : options)
        let quantizer = ActivationFakeQuantizer(
          name: "\(op.name).fake_quant", low: r.lo, high: r.hi, momentum: 0.9,
          symmetric: recipe.symmetricActivations && index != lastLinear)
        quantizers[index] = quantizer
        layers.append(quantizer)
      }
    }
    let model = Sequential(name: "qat", inputShape: train.sampleShape, normalization: network.normalization, layers: layers)
    let configuration = TrainingConfiguration(epochs: epochs, batchSize: batchSize, seed: seed, augmentation: nil)
    let (product, overflow) = epochs.multipliedReportingOverflow(by: train.count / Swift.max(batchSize, 1) + 1)
    let steps = overflow ? Int.max : Swift.max(1, product)
    let trainer = Trainer(
      model: model, optimizer: Adam(learningRate: learningRate), schedule: .cosine(base: learningRate, totalSteps: steps),
      configuration: configuration, resetParameters: false)
    var lastAccuracy = 0.0
    try trainer.fit(train: train, test: calibration, onBatch: nil) { metrics in
      lastAccuracy = metrics.testAccuracy
      onEpoch?(metrics.epoch, metrics.trainLoss, metrics.testAccuracy)
    }
    var tuned = network
    for (index, op) in network.operations.enumerated() {
      guard let wrapped = linears[index] else { continue }
      let values = wrapped.inner.parameters
      switch op {
      case var .dense(d):
        d.weight = values[0].value
        d.bias = values[1].value
        tuned.operations[index] = .dense(d)
      case var .conv(c):
        c.weight = values[0].value
        c.bias = values[1].value
        tuned.operations[index] = .conv(c)
      default: break
      }
    }
    var activations = [-1: try inputQuantizer.quantization()]
    for (index, q) in quantizers { activations[index] = try q.quantization() }
    return Result(network: tuned, activations: activations, trainAccuracy: lastAccuracy)
  }
}
