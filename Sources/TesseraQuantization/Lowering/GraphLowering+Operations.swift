import TesseraNN

extension GraphLowering {
  /// One float node as a fast-engine operation, or nil when it modified `previous` in place
  /// (bias add, BatchNorm fold, fused ReLU).
  static func floatOperation(
    _ node: Node, reader: ChainReader, shape: [Int], previous ops: inout [FusedOperation]
  ) throws -> FusedOperation? {
    func fail(_ why: String) -> LoweringError { LoweringError("node '\(node.name)' (\(node.op)): \(why)") }
    switch node.op {
    case "Flatten", "Reshape":
      guard try isFlatten(node, reader: reader, shape: shape) else { throw fail("only flattening to [batch, features] is supported") }
      return .flatten(name: node.name)
    case "Gemm", "MatMul":
      guard shape.count == 1, node.input(0) == reader.current else { throw fail("needs a [batch, features] input") }
      let (n, weight) = try denseWeight(node, reader: reader, k: shape[0])
      var bias = [Float](repeating: 0, count: n)
      if node.op == "Gemm", let c = reader.constant(node, 2) {
        guard try node.float("beta", default: 1) == 1 else { throw fail("beta ≠ 1") }
        bias = try broadcastBias(c, n: n, node: node)
      } else if node.input(2) != nil {
        throw fail("bias C is not a constant")
      }
      return .dense(DenseStage(name: node.name, inputs: shape[0], outputs: n, weight: weight, bias: bias, relu: false))
    case "Add":
      guard case var .dense(d)? = ops.last, !d.relu else { throw fail("only a bias add right after MatMul/Gemm is supported") }
      let other = node.input(0) == reader.current ? 1 : 0
      guard let c = reader.constant(node, other) else { throw fail("the addend is not a constant") }
      let b = try broadcastBias(c, n: d.outputs, node: node)
      d.bias = zip(d.bias, b).map(+)
      ops[ops.count - 1] = .dense(d)
      return nil
    case "Conv":
      guard shape.count == 3, let w = reader.constant(node, 1), let values = w.float32, w.shape.count == 4 else {
        throw fail("needs a [C, H, W] input and constant float 4-D weights")
      }
      guard try node.int("group", default: 1) == 1 else { throw fail("grouped convolution") }
      guard w.shape[1] == shape[0] else { throw fail("weights expect \(w.shape[1]) channels, input has \(shape[0])") }
      let geometry = try window(node, shape: shape, kernel: (w.shape[2], w.shape[3]))
      let n = w.shape[0]
      let bias = try reader.constant(node, 2).map { try broadcastBias($0, n: n, node: node) } ?? Array(repeating: 0, count: n)
      return .conv(ConvStage(name: node.name, geometry: geometry, outputChannels: n, weight: values, bias: bias, relu: false))
    case "BatchNormalization":
      try foldBatchNorm(node, reader: reader, into: &ops)
      return nil
    case "Relu":
      switch ops.last {
      case var .dense(d)? where !d.relu:
        d.relu = true
        ops[ops.count - 1] = .dense(d)
        return nil
      case var .conv(c)? where !c.relu:
        c.relu = true
        ops[ops.count - 1] = .conv(c)
        return nil
      default:
        return .relu(name: node.name)
      }
    case "MaxPool", "AveragePool", "GlobalAveragePool":
      guard shape.count == 3 else { throw fail("needs a [C, H, W] input") }
      let geometry = try poolWindow(node, shape: shape)
      return node.op == "MaxPool" ? .maxPool(name: node.name, geometry: geometry) : .avgPool(name: node.name, geometry: geometry)
    default:
      throw fail("no fast-engine form")
    }
  }

  /// True when a Flatten (axis 1) or a Reshape to `[batch, features]` flattens the sample.
  static func isFlatten(_ node: Node, reader: ChainReader, shape: [Int]) throws -> Bool {
    if node.op == "Flatten" { return try node.int("axis", default: 1) == 1 }
    guard let target = reader.constant(node, 1)?.integers, target.count == 2 else { return false }
    let features = shape.reduce(1, *)
    return (target[0] == 0 || target[0] == -1) && (target[1] == -1 || target[1] == features)
      || target[0] == 0 && target[1] == features
  }

  /// `[N, K]` row-major weights of a Gemm (transA 0, alpha 1) or MatMul with constant B.
  static func denseWeight(_ node: Node, reader: ChainReader, k: Int) throws -> (Int, [Float]) {
    func fail(_ why: String) -> LoweringError { LoweringError("node '\(node.name)' (\(node.op)): \(why)") }
    guard let b = reader.constant(node, 1), let values = b.float32, b.shape.count == 2 else {
      throw fail("B must be a constant float matrix")
    }
    let transposed = node.op == "Gemm" ? try node.int("transB", default: 0) == 1 : false
    if node.op == "Gemm" {
      guard try node.int("transA", default: 0) == 0, try node.float("alpha", default: 1) == 1 else { throw fail("transA or alpha ≠ 1") }
    }
    let (n, kb) = transposed ? (b.shape[0], b.shape[1]) : (b.shape[1], b.shape[0])
    guard kb == k else { throw fail("B has inner dimension \(kb), input has \(k) features") }
    return (n, transposed ? values : transpose(values, rows: k, columns: n))
  }

  /// `values` (`rows × columns`, row-major) transposed.
  static func transpose<T>(_ values: [T], rows: Int, columns: Int) -> [T] {
    (0..<(rows * columns)).map { i in values[(i % rows) * columns + i / rows] }
  }

  /// A bias of N values from a constant of shape [], [1], [N] or [1, N].
  static func broadcastBias(_ c: GraphTensor, n: Int, node: Node) throws -> [Float] {
    let values = c.doubles.map { Float($0) }
    guard c.elementType.isFloatingPoint, c.shape.count <= 2, values.count == 1 || values.count == n,
      c.shape.count < 2 || c.shape[0] == 1
    else { throw LoweringError("node '\(node.name)' (\(node.op)): bias of shape \(c.shape) does not fit \(n) outputs") }
    return values.count == n ? values : Array(repeating: values[0], count: n)
  }

  /// Folds an inference BatchNormalization into the preceding dense or conv stage.
  static func foldBatchNorm(_ node: Node, reader: ChainReader, into ops: inout [FusedOperation]) throws {
    let parts = (1...4).map { reader.constant(node, $0)?.doubles }
    guard let gamma = parts[0], let beta = parts[1], let mean = parts[2], let variance = parts[3] else {
      throw LoweringError("node '\(node.name)' (BatchNormalization): parameters must be constants")
    }
    let epsilon = Double(try node.float("epsilon", default: 1e-5))
    let scale = zip(gamma, variance).map { $0 / ($1 + epsilon).squareRoot() }
    func fold(_ weight: inout [Float], _ bias: inout [Float], _ n: Int) throws {
      guard scale.count == n, beta.count == n, mean.count == n else {
        throw LoweringError("node '\(node.name)' (BatchNormalization): \(scale.count) channels, the layer has \(n)")
      }
      let k = weight.count / n
      for c in 0..<n {
        for j in 0..<k { weight[c * k + j] = Float(Double(weight[c * k + j]) * scale[c]) }
        bias[c] = Float((Double(bias[c]) - mean[c]) * scale[c] + beta[c])
      }
    }
    switch ops.last {
    case var .dense(d)? where !d.relu:
      try fold(&d.weight, &d.bias, d.outputs)
      ops[ops.count - 1] = .dense(d)
    case var .conv(c)? where !c.relu:
      try fold(&c.weight, &c.bias, c.outputChannels)
      ops[ops.count - 1] = .conv(c)
    default:
      throw LoweringError("node '\(node.name)' (BatchNormalization) does not follow a dense or conv layer")
    }
  }
}
