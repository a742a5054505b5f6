/// One layer of a model graph as the scheduler needs it (the CLI fills it from a model file).
public struct ModelLayer: Sendable, Equatable {
  /// Layer name.
  public var name: String
  /// Kind as written in the graph (`dense`, `conv2d`, `maxpool2d`, `avgpool2d`, `flatten`, …).
  public var kind: String
  /// Integer (or integer-pair) attributes: `inputs`, `outputs`, `in_channels`, `out_channels`,
  /// `kernel`, `stride`, `padding`, `weight_bits`.
  public var attributes: [String: [Int]]
  /// Per-sample input shape when the graph records it (`[C, H, W]` or `[features]`).
  public var inputShape: [Int]?
  /// Bits per stored weight (`nil` = float weights, scheduled as int8).
  public var weightBits: Int?
  /// Non-zero fraction of the weights (1 when unknown).
  public var weightDensity: Double
  /// The zero pattern the weights satisfy (`unstructured` when unknown).
  public var weightStructure: SparsityStructure

  /// Makes a layer description.
  /// - Parameters:
  ///   - name: layer name.
  ///   - kind: graph kind.
  ///   - attributes: integer attributes.
  ///   - inputShape: per-sample input shape.
  ///   - weightBits: stored weight bits.
  ///   - weightDensity: non-zero fraction of the weights.
  ///   - weightStructure: the zero pattern the weights satisfy.
  public init(
    name: String, kind: String, attributes: [String: [Int]] = [:], inputShape: [Int]? = nil,
    weightBits: Int? = nil, weightDensity: Double = 1, weightStructure: SparsityStructure = .unstructured
  ) {
    self.name = name
    self.kind = kind
    self.attributes = attributes
    self.inputShape = inputShape
    self.weightBits = weightBits
    self.weightDensity = weightDensity
    self.weightStructure = weightStructure
  }
}

extension Workload {
  /// The schedulable layers of a model: each `dense` becomes a GEMM (M = batch) and each
  /// `conv2d` a 7-loop convolution; pooling and flatten only reshape. Bit-widths come from
  /// `weight_bits` or the stored weight type (float weights are scheduled as int8, the
  /// deployment format); activations are int8; the density is the weights' non-zero fraction.
  ///
  /// - Parameters:
  ///   - layers: the graph's layers in order.
  ///   - inputShape: the model's per-sample input shape (`[C, H, W]` or `[features]`).
  ///   - batch: samples per inference.
  /// - Throws: ``SchedulerError/invalidWorkload(_:)`` for a missing attribute or a shape that
  ///   does not chain, or when the model has no dense/conv layer.
  public static func layers(of layers: [ModelLayer], inputShape: [Int], batch: Int = 1) throws -> [Workload] {
    guard batch >= 1 else { throw SchedulerError.invalidWorkload("batch \(batch) must be at least 1") }
    guard batch <= LayerShape.maxBound else {
      throw SchedulerError.invalidWorkload("batch \(batch) exceeds the limit \(LayerShape.maxBound) (2^31)")
    }
    var shape = inputShape
    var result: [Workload] = []
    for layer in layers {
      if let recorded = layer.inputShape { shape = recorded }
      func attr(_ key: String, _ count: Int = 1, default value: [Int]? = nil) throws -> [Int] {
        if let v = layer.attributes[key] { return v.count == 1 && count == 2 ? [v[0], v[0]] : v }
        if let value { return value }
        throw SchedulerError.invalidWorkload("layer '\(layer.name)' (\(layer.kind)) has no '\(key)' attribute")
      }
      let bits = layer.attributes["weight_bits"]?.first ?? layer.weightBits ?? 8
      switch layer.kind {
      case "dense":
        let inputs = try attr("inputs")[0], outputs = try attr("outputs")[0]
        var w = try Workload(
          name: layer.name, kind: .gemm, shape: named(layer.name) { try .gemm(m: batch, n: outputs, k: inputs) },
          weightBits: bits, weightDensity: max(layer.weightDensity, 1e-9))
        w.weightStructure = layer.weightStructure
        result.append(w)
        shape = [outputs]
      case "conv2d":
        guard shape.count == 3 else {
          throw SchedulerError.invalidWorkload("layer '\(layer.name)': conv2d needs a [C, H, W] input, got \(shape)")
        }
        let cin = try attr("in_channels")[0], cout = try attr("out_channels")[0]
        let kernel = try attr("kernel", 2), stride = try attr("stride", 2, default: [1, 1])
        let padding = try attr("padding", 2, default: [0, 0])
        guard cin == shape[0] else {
          throw SchedulerError.invalidWorkload("layer '\(layer.name)': \(cin) input channels but the input is \(shape)")
        }
        let p = (shape[1] + 2 * padding[0] - kernel[0]) / stride[0] + 1
        let q = (shape[2] + 2 * padding[1] - kernel[1]) / stride[1] + 1
        guard p >= 1, q >= 1 else {
          throw SchedulerError.invalidWorkload("layer '\(layer.name)': kernel \(kernel) does not fit the input \(shape)")
        }
        let conv = try named(layer.name) {
          try LayerShape(n: batch, k: cout, c: cin, p: p, q: q, r: kernel[0], s: kernel[1], strideH: stride[0], strideW: stride[1])
        }
        var w = try Workload(
          name: layer.name, kind: .conv, shape: conv, weightBits: bits, weightDensity: max(layer.weightDensity, 1e-9))
        w.weightStructure = layer.weightStructure
        result.append(w)
        shape = [cout, p, q]
      case "maxpool2d", "avgpool2d":
        guard shape.count == 3 else { continue }
        let kernel = try attr("kernel", 2), stride = try attr("stride", 2, default: kernel)
        let padding = try attr("padding", 2, default: [0, 0])
        shape = [shape[0], (shape[1] + 2 * padding[0] - kernel[0]) / stride[0] + 1,
                 (shape[2] + 2 * padding[1] - kernel[1]) / stride[1] + 1]
      case "flatten":
        shape = [shape.reduce(1, *)]
      default:
        continue
      }
    }
    guard !result.isEmpty else { throw SchedulerError.invalidWorkload("the model has no dense or conv2d layer to schedule") }
    return result
  }

  /// Runs `make`, prefixing a workload error with the layer's name.
  private static func named(_ name: String, _ make: () throws -> LayerShape) throws -> LayerShape {
    do { return try make() } catch let SchedulerError.invalidWorkload(message) {
      throw SchedulerError.invalidWorkload("layer '\(name)': \(message)")
    }
  }
}
