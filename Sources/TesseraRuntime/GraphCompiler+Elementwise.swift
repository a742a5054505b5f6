import TesseraNN

extension GraphCompiler {
  /// Add/Sub/Mul/Div: two batched values of the output's shape, or one and a float32 constant
  /// that broadcasts to it without a batch dimension of its own (scalar, per channel, or any
  /// per-sample pattern, expanded once).
  func binary(_ node: Node, _ op: BinaryOperator, y: [Int]) -> LoweredNode? {
    let count = y.reduce(1, *)
    if let a = batched(node, 0), let b = batched(node, 1) {
      guard a.shape == y, b.shape == y else { return nil }
      return LoweredNode(
        kind: .binary(BinaryKernel(op: op, operand: .value, constantFirst: false, sampleCount: count)),
        inputs: [a.id, b.id], macs: 0)
    }
    for (valuePosition, constantPosition) in [(0, 1), (1, 0)] {
      guard let x = batched(node, valuePosition), x.shape == y, let c = constant(node, constantPosition),
        let operand = Self.broadcastOperand(c, sample: y)
      else { continue }
      let kernel = BinaryKernel(op: op, operand: operand, constantFirst: constantPosition == 0, sampleCount: count)
      return LoweredNode(kind: .binary(kernel), inputs: [x.id], macs: 0)
    }
    return nil
  }

  /// A constant broadcast against `[batch] + sample`: nil when it does not broadcast to that
  /// shape or varies along the batch.
  static func broadcastOperand(_ c: GraphTensor, sample: [Int]) -> BinaryOperand? {
    var shape = c.shape
    if shape.count == sample.count + 1 {
      guard shape[0] == 1 else { return nil }
      shape.removeFirst()
    }
    guard shape.count <= sample.count else { return nil }
    let padded = Array(repeating: 1, count: sample.count - shape.count) + shape
    guard zip(padded, sample).allSatisfy({ $0 == 1 || $0 == $1 }) else { return nil }
    let values = c.float32!
    if values.count == 1 { return .scalar(values[0]) }
    if padded.dropFirst().allSatisfy({ $0 == 1 }) {
      return .channel(values, inner: sample.dropFirst().reduce(1, *))
    }
    // Expand to the sample shape: each element reads the constant at its broadcast index.
    var strides = [Int](repeating: 0, count: padded.count), running = 1
    for d in stride(from: padded.count - 1, through: 0, by: -1) {
      strides[d] = padded[d] == 1 ? 0 : running
      running *= padded[d]
    }
    let total = sample.reduce(1, *)
    var expanded = [Float](repeating: 0, count: total)
    var coordinate = [Int](repeating: 0, count: sample.count)
    for i in 0..<total {
      var offset = 0
      for d in sample.indices { offset += coordinate[d] * strides[d] }
      expanded[i] = values[offset]
      var d = sample.count - 1
      while d >= 0 {
        coordinate[d] += 1
        if coordinate[d] < sample[d] { break }
        coordinate[d] = 0
        d -= 1
      }
    }
    return .sample(expanded)
  }

  /// Relu, LeakyRelu, Sigmoid, Tanh, Clip with constant bounds, and inference BatchNormalization
  /// with constant parameters.
  func unary(_ node: Node, op: String, y: [Int]) -> LoweredNode? {
    guard let x = batched(node, 0), x.shape == y else { return nil }
    let kernel: UnaryKernel
    switch op {
    case "Relu": kernel = .activation(.relu)
    case "LeakyRelu":
      guard let alpha = try? node.float("alpha", default: 0.01) else { return nil }
      kernel = .leakyRelu(alpha: alpha)
    case "Sigmoid": kernel = .sigmoid
    case "Tanh": kernel = .tanh
    case "Clip":
      var bounds: [Float] = [-.infinity, .infinity]
      for position in [1, 2] where node.input(position) != nil {
        guard let b = constant(node, position), b.count == 1 else { return nil }
        bounds[position - 1] = b.float32![0]
      }
      kernel = .activation(.clip(min: bounds[0], max: bounds[1]))
    case "BatchNormalization":
      guard x.shape.count >= 1, graph.opset < 14 || (try? node.int("training_mode", default: 0)) == 0,
        let epsilon = try? node.float("epsilon", default: 1e-5)
      else { return nil }
      let channels = x.shape[0]
      var params = [[Double]]()
      for position in 1...4 {
        guard let t = constant(node, position), t.shape == [channels] else { return nil }
        params.append(t.doubles)
      }
      let scale = (0..<channels).map { params[0][$0] / (params[3][$0] + Double(epsilon)).squareRoot() }
      kernel = .affine(
        scale: scale.map { Float($0) }, shift: (0..<channels).map { Float(params[1][$0] - params[2][$0] * scale[$0]) },
        inner: x.shape.dropFirst().reduce(1, *))
    default: return nil
    }
    return LoweredNode(kind: .unary(kernel), inputs: [x.id], macs: 0)
  }

  /// MaxPool (without Indices) or AveragePool over `[C, H, W]` samples.
  func pool(_ node: Node, isMax: Bool, y: [Int]) -> LoweredNode? {
    guard let x = batched(node, 0), x.shape.count == 3, let kernel = try? node.ints("kernel_shape"),
      let window = Window2D(
        node: node, height: x.shape[1], width: x.shape[2], kernel: kernel, ceilMode: true,
        dilations: isMax || graph.opset >= 19),
      y == [x.shape[0], window.outputHeight, window.outputWidth]
    else { return nil }
    var rows = [Int](), columns = [Int]()
    if !isMax {
      guard let include = try? node.int("count_include_pad", default: 0) else { return nil }
      rows = window.tapCounts(vertical: true, includePadding: include != 0)
      columns = window.tapCounts(vertical: false, includePadding: include != 0)
    }
    let kernelStep = PoolKernel(isMax: isMax, planes: x.shape[0], window: window, rows: rows, columns: columns)
    return LoweredNode(kind: .pool(kernelStep), inputs: [x.id], macs: 0)
  }

  /// Concat of batched values along an axis after the batch.
  func concat(_ node: Node, y: [Int]) -> LoweredNode? {
    let rank = y.count + 1
    guard let raw = try? node.int("axis"), raw >= -rank, raw < rank, !node.inputs.isEmpty else { return nil }
    let axis = raw < 0 ? raw + rank : raw
    guard axis >= 1 else { return nil }
    var ids = [Int](), chunks = [Int]()
    for position in node.inputs.indices {
      guard let x = batched(node, position), x.shape.count == y.count,
        x.shape.indices.allSatisfy({ $0 == axis - 1 || x.shape[$0] == y[$0] })
      else { return nil }
      ids.append(x.id)
      chunks.append(x.shape[(axis - 1)...].reduce(1, *))
    }
    let outer = y[..<(axis - 1)].reduce(1, *)
    guard chunks.reduce(0, +) * outer == y.reduce(1, *) else { return nil }
    return LoweredNode(kind: .concat(ConcatKernel(chunks: chunks, outer: outer)), inputs: ids, macs: 0)
  }

  /// Softmax over contiguous per-sample groups: the last axis (or one followed only by size-1
  /// axes), or any axis after the batch before opset 13 (coerced to 2-D).
  func softmax(_ node: Node, y: [Int]) -> LoweredNode? {
    let rank = y.count + 1
    let coerced = graph.opset < 13
    guard let x = batched(node, 0), x.shape == y, let raw = try? node.int("axis", default: coerced ? 1 : -1),
      raw >= -rank, raw < rank || (coerced && raw == rank)
    else { return nil }
    let axis = raw < 0 ? raw + rank : raw
    guard axis >= 1, coerced || y[axis...].allSatisfy({ $0 == 1 }) else { return nil }
    return LoweredNode(kind: .softmax(length: y[(axis - 1)...].reduce(1, *)), inputs: [x.id], macs: 0)
  }
}
