import Tessera

/// Builds layers for kinds other modules define; return nil to fall back to the built-in kinds.
///
/// For example, a quantization module registers its fake-quantized layer:
/// ```swift
/// let model = try Sequential(modelFile: file) { spec in
///   spec.kind == "fakequant" ? try FakeQuant(spec: spec) : nil
/// }
/// ```
public typealias LayerFactory = (LayerSpec) throws -> (any Layer)?

/// The layer kinds TesseraNN builds from a graph.
public enum LayerKinds {
  /// Every built-in kind.
  public static let all = ["dense", "conv2d", "maxpool2d", "avgpool2d", "relu", "flatten", "batchnorm", "dropout", "softmax"]

  /// Largest parameter tensor accepted from a graph (2²⁸ elements), so a malformed file cannot
  /// exhaust memory.
  public static let maximumParameterCount = 1 << 28

  /// A freshly initialized layer for a built-in kind.
  /// - Parameter spec: the layer description.
  /// - Returns: the layer, named `spec.name`.
  /// - Throws: ``GraphError`` for an unknown kind or a bad attribute.
  public static func makeLayer(_ spec: LayerSpec) throws -> any Layer {
    func positive(_ key: String) throws -> Int {
      let v = try spec.int(key)
      guard v > 0 && v <= maximumParameterCount else {
        throw GraphError("layer '\(spec.name)' (\(spec.kind)): attribute '\(key)' = \(v) out of range")
      }
      return v
    }
    func checkSize(_ count: Int) throws {
      guard count <= maximumParameterCount else {
        throw GraphError("layer '\(spec.name)' (\(spec.kind)): \(count) parameters exceed the limit")
      }
    }
    switch spec.kind {
    case "dense":
      let inputs = try positive("inputs"), outputs = try positive("outputs")
      try checkSize(inputs.multipliedReportingOverflow(by: outputs).overflow ? .max : inputs * outputs)
      return Dense(inputs: inputs, outputs: outputs, bias: try spec.bool("bias", default: true), name: spec.name)
    case "conv2d":
      let cin = try positive("in_channels"), cout = try positive("out_channels")
      let kernel = try spec.pair("kernel")
      guard kernel.0 <= 1024, kernel.1 <= 1024, cin <= 1 << 16, cout <= 1 << 16 else {
        throw GraphError("layer '\(spec.name)' (conv2d): kernel or channels too large")
      }
      try checkSize(cin * cout * kernel.0 * kernel.1)
      return Conv2D(
        inputChannels: cin, outputChannels: cout, kernelSize: kernel,
        stride: try spec.pair("stride", default: (1, 1)), padding: try spec.pair("padding", default: (0, 0), allowZero: true),
        bias: try spec.bool("bias", default: true), name: spec.name)
    case "maxpool2d", "avgpool2d":
      let kernel = try spec.pair("kernel")
      let stride = try spec.pair("stride", default: kernel)
      let padding = try spec.pair("padding", default: (0, 0), allowZero: true)
      return spec.kind == "maxpool2d"
        ? MaxPool2D(kernelSize: kernel, stride: stride, padding: padding, name: spec.name)
        : AvgPool2D(kernelSize: kernel, stride: stride, padding: padding, name: spec.name)
    case "relu": return ReLU(name: spec.name)
    case "flatten": return Flatten(name: spec.name)
    case "softmax": return Softmax(name: spec.name)
    case "batchnorm":
      let epsilon = try spec.double("epsilon", default: 1e-5), momentum = try spec.double("momentum", default: 0.1)
      guard epsilon > 0, Float(epsilon).isFinite, Float(epsilon) > 0 else {
        throw GraphError("layer '\(spec.name)' (batchnorm): epsilon \(epsilon) must be a positive float32")
      }
      guard momentum >= 0 && momentum <= 1 else {
        throw GraphError("layer '\(spec.name)' (batchnorm): momentum \(momentum) must be in [0, 1]")
      }
      return BatchNorm(featureCount: try positive("features"), epsilon: Float(epsilon), momentum: Float(momentum), name: spec.name)
    case "dropout":
      let rate = try spec.double("rate", default: 0.5)
      guard rate >= 0 && rate < 1 else { throw GraphError("layer '\(spec.name)' (dropout): rate \(rate) must be in [0, 1)") }
      return Dropout(rate: Float(rate), name: spec.name)
    default:
      throw GraphError("layer '\(spec.name)': unknown kind '\(spec.kind)' (known: \(all.joined(separator: ", ")))")
    }
  }
}

extension Layer {
  /// The layer's graph description, with tensors named `<name>.<role>`.
  /// - Parameter inputShape: per-sample input shape (recorded with the output shape).
  /// - Throws: `TesseraError` when the input shape does not fit.
  public func spec(inputShape: [Int]) throws -> LayerSpec {
    let roles = parameters.map(\.role)
    return LayerSpec(
      name: name, kind: kind, attributes: attributes,
      tensors: Dictionary(uniqueKeysWithValues: roles.map { ($0, "\(name).\($0)") }),
      inputShape: inputShape, outputShape: try outputShape(for: inputShape))
  }
}
