import Tessera
import TesseraNN

/// Reads the layers of an int8 model file, validating every tensor against the graph.
struct QuantizedGraphReader {
  let file: SafeTensorsFile
  let source: String
  var operations: [QuantizedOperation] = []
  var softmax = false
  var shape: [Int] = []
  var current: AffineQuantization?

  init(file: SafeTensorsFile, source: String) {
    self.file = file
    self.source = source
  }

  func fail(_ what: String, _ reason: String) -> QuantizationError {
    .invalidModel("\(source): \(what): \(reason)")
  }

  /// A tensor by name with dtype and shape checks.
  func stored(_ name: String?, _ what: String, shape: [Int]) throws -> StoredTensor {
    guard let name else { throw fail(what, "tensor role is missing from the graph") }
    guard let t = file[name] else { throw fail(what, "tensor '\(name)' is missing from the file") }
    guard t.shape == shape else { throw fail(what, "tensor '\(name)' has shape \(t.shape), expected \(shape)") }
    return t
  }

  func floats(_ name: String?, _ what: String, shape: [Int]) throws -> [Float] {
    let t = try stored(name, what, shape: shape)
    guard let f = t.float32 else { throw fail(what, "tensor '\(name!)' is \(t.dtype.rawValue), expected float32") }
    return f.scalars
  }

  func ints(_ name: String?, _ what: String, shape: [Int]) throws -> [Int32] {
    let t = try stored(name, what, shape: shape)
    guard let i = t.int32 else { throw fail(what, "tensor '\(name!)' is \(t.dtype.rawValue), expected int32") }
    return i.scalars
  }

  /// Scale + zero point tensors → validated activation parameters.
  func affine(scale: String?, zeroPoint: String?, what: String) throws -> AffineQuantization {
    let s = try floats(scale, what, shape: [1])[0]
    let z = try ints(zeroPoint, what, shape: [1])[0]
    do {
      return try AffineQuantization(scale: s, zeroPoint: z, grid: .activations, what: "\(source): \(what)")
    } catch let error as QuantizationError {
      throw QuantizationError.invalidModel(error.description)
    }
  }

  mutating func read(_ graph: ModelGraph, input: AffineQuantization) throws {
    shape = graph.input.shape
    current = input
    for layer in graph.layers {
      let what = "layer '\(layer.name)' (\(layer.kind))"
      if let declared = layer.inputShape, declared != shape {
        throw fail(what, "graph says input shape \(declared) but the previous layer produces \(shape)")
      }
      do {
        try read(layer, what: what)
      } catch let error as GraphError {
        throw QuantizationError.invalidModel("\(source): \(error.description)")
      }
      if let declared = layer.outputShape, declared != shape {
        throw fail(what, "graph says output shape \(declared) but the layer produces \(shape)")
      }
    }
  }

  mutating func append(_ op: QuantizedOperation, _ fused: FusedOperation, what: String) throws {
    do {
      shape = try FusedNetwork.outputShape(of: fused, input: shape)
    } catch let error as QuantizationError {
      throw fail(what, error.description)
    }
    operations.append(op)
  }

  mutating func read(_ layer: LayerSpec, what: String) throws {
    if softmax { throw fail(what, "layers after a softmax are not supported") }
    switch layer.kind {
    case "dense", "conv2d":
      try readLinear(layer, what: what)
    case "maxpool2d", "avgpool2d":
      guard shape.count == 3 else { throw fail(what, "expects [C, H, W] input, gets \(shape)") }
      let k = try layer.pair("kernel"), s = try layer.pair("stride", default: k)
      let p = try layer.pair("padding", default: (0, 0), allowZero: true)
      let g = try WindowGeometry(channels: shape[0], height: shape[1], width: shape[2], kernel: k, stride: s, padding: p, what: "\(source): \(what)")
      let op: QuantizedOperation = layer.kind == "maxpool2d" ? .maxPool(name: layer.name, geometry: g) : .avgPool(name: layer.name, geometry: g)
      try append(op, layer.kind == "maxpool2d" ? .maxPool(name: layer.name, geometry: g) : .avgPool(name: layer.name, geometry: g), what: what)
    case "flatten":
      try append(.flatten(name: layer.name), .flatten(name: layer.name), what: what)
    case "relu":
      if case var .linear(l) = operations.last, !l.relu {
        l.relu = true
        operations[operations.count - 1] = .linear(l)
      } else {
        try append(.relu(name: layer.name), .relu(name: layer.name), what: what)
      }
    case "softmax":
      softmax = true
    case "dropout":
      break
    default:
      throw fail(what, "unsupported layer kind in a quantized model")
    }
  }

  /// The layer's int8 codes, expanded from their compact form when `weight_encoding` says so.
  func weightCodes(_ layer: LayerSpec, what: String, shape: [Int], bits: Int) throws -> [Int8] {
    let encodingName = layer.attributes[CompactWeights.attribute]?.string ?? CompactWeights.Encoding.dense.rawValue
    guard let encoding = CompactWeights.Encoding(rawValue: encodingName) else {
      throw fail(what, "unknown weight_encoding '\(encodingName)' (dense, bitpacked or bitmask)")
    }
    if encoding == .dense {
      let w = try stored(layer.tensors["weight"], what, shape: shape)
      guard let codes = w.int8?.scalars else { throw fail(what, "weight is \(w.dtype.rawValue), expected int8") }
      return codes
    }
    guard let name = layer.tensors["weight"] else { throw fail(what, "tensor role is missing from the graph") }
    guard let t = file[name] else { throw fail(what, "tensor '\(name)' is missing from the file") }
    guard let bytes = t.uint8?.scalars, t.shape.count == 1 else {
      throw fail(what, "\(encoding.rawValue) weight '\(name)' is \(t.dtype.rawValue) \(t.shape), expected 1-D uint8")
    }
    do {
      return try CompactWeights.decode(bytes, encoding: encoding, count: shape.reduce(1, *), bits: bits)
    } catch let error as CompactWeightsError {
      throw fail(what, "weight '\(name)': \(error.description)")
    }
  }

  mutating func readLinear(_ layer: LayerSpec, what: String) throws {
    guard let input = current else { throw fail(what, "no input quantization") }
    let n: Int, k: Int, weightShape: [Int]
    var geometry: WindowGeometry?
    if layer.kind == "dense" {
      n = try layer.int("outputs")
      k = try layer.int("inputs")
      guard n > 0, k > 0 else { throw fail(what, "inputs and outputs must be positive") }
      weightShape = [n, k]
    } else {
      guard shape.count == 3 else { throw fail(what, "expects [C, H, W] input, gets \(shape)") }
      let c = try layer.int("in_channels")
      n = try layer.int("out_channels")
      guard c == shape[0], n > 0 else { throw fail(what, "in_channels \(c) does not match the input \(shape)") }
      let kk = try layer.pair("kernel"), s = try layer.pair("stride", default: (1, 1))
      let p = try layer.pair("padding", default: (0, 0), allowZero: true)
      let g = try WindowGeometry(channels: c, height: shape[1], width: shape[2], kernel: kk, stride: s, padding: p, what: "\(source): \(what)")
      geometry = g
      k = g.patchSize
      weightShape = [n, c, kk.0, kk.1]
    }
    let bits = try layer.int("weight_bits")
    let grid: QuantizationGrid
    do { grid = try .weights(bits: bits) } catch let error as QuantizationError { throw fail(what, error.description) }
    let codes = try weightCodes(layer, what: what, shape: weightShape, bits: bits)
    if let bad = codes.first(where: { abs(Int32($0)) > grid.qmax }) {
      throw fail(what, "weight code \(bad) is outside the \(bits)-bit grid ±\(grid.qmax)")
    }
    let bias = try ints(layer.tensors["bias"], what, shape: [n])
    let scales = try floats(layer.tensors["weight_scale"], what, shape: [n])
    let weights: ChannelQuantization
    do {
      weights = try ChannelQuantization(scales: scales, grid: grid, what: "\(source): \(what) weight_scale")
    } catch let error as QuantizationError {
      throw QuantizationError.invalidModel(error.description)
    }
    let output = try affine(scale: layer.tensors["output_scale"], zeroPoint: layer.tensors["output_zero_point"], what: "\(what) output")
    for c in 0..<n {
      let m = input.scale * scales[c] / output.scale
      guard m.isFinite, m > 0 else { throw fail(what, "requantization multiplier of channel \(c) is \(m)") }
    }
    let l = QuantizedLinear(
      name: layer.name, convolution: geometry, outputs: n, inner: k, codes: codes, weights: weights, bias: bias,
      input: input, output: output, relu: false)
    let fused: FusedOperation = geometry.map {
      .conv(ConvStage(name: layer.name, geometry: $0, outputChannels: n, weight: [Float](repeating: 0, count: n * k), bias: [Float](repeating: 0, count: n), relu: false))
    } ?? .dense(DenseStage(name: layer.name, inputs: k, outputs: n, weight: [Float](repeating: 0, count: n * k), bias: [Float](repeating: 0, count: n), relu: false))
    try append(.linear(l), fused, what: what)
    current = output
  }
}
