extension OperatorKernels {
  /// LayerNormalization (opset 17): for each group of X's elements over the axes
  /// `[axis, rank)` (default axis −1),
  ///
  /// ```
  /// mean = Σ x / n,  invStdDev = 1 / √(Σ (x − mean)² / n + epsilon)
  /// Y    = (x − mean) · invStdDev · Scale + B
  /// ```
  ///
  /// computed in double and rounded once (`stash_type` 1, float32 statistics, is the only stash
  /// type: double is at least as precise). Scale and the optional B broadcast to X's normalized
  /// axes (unidirectionally). The optional outputs Mean and InvStdDev have X's shape with the
  /// normalized axes set to 1, as float32.
  static func layerNormalization(_ c: KernelContext) throws -> [GraphTensor] {
    let x = try c.input(0, "X"), scale = try c.input(1, "Scale")
    let bias = c.optionalInput(2)
    let rank = x.shape.count
    let axis = try c.axis(try c.int("axis", -1), rank: rank)
    let epsilon = Double(try c.float("epsilon", 1e-5))
    let stash = try c.int("stash_type", 1)
    guard stash == 1 else { throw c.error("stash_type \(stash) is not supported (only 1, float32)") }
    let values = try c.floats(x, "X")
    let normalized = Array(x.shape[axis...])
    func parameter(_ t: GraphTensor, _ name: String) throws -> [Double] {
      guard t.shape.count <= normalized.count, TensorLayout.broadcast(t.shape, normalized) == normalized else {
        throw c.error("'\(name)' \(t.shape) does not broadcast to X's normalized shape \(normalized) (X is \(x.shape), axis \(axis))")
      }
      let v = try c.floats(t, name)
      return TensorLayout.broadcastOffsets(from: t.shape, to: normalized).map { TensorLayout.gather(v, $0) } ?? v
    }
    let gamma = try parameter(scale, "Scale"), beta = try bias.map { try parameter($0, "B") }
    let n = TensorLayout.product(normalized), groups = TensorLayout.product(x.shape[..<axis])
    var y = values
    var means = [Double](repeating: 0, count: groups), inverses = means
    for g in 0..<groups {
      let base = g * n
      var sum = 0.0
      for i in 0..<n { sum += values[base + i] }
      let mean = sum / Double(n)
      var squares = 0.0
      for i in 0..<n {
        let d = values[base + i] - mean
        squares += d * d
      }
      let inverse = 1 / (squares / Double(n) + epsilon).squareRoot()
      for i in 0..<n { y[base + i] = (values[base + i] - mean) * inverse * gamma[i] + (beta?[i] ?? 0) }
      (means[g], inverses[g]) = (mean, inverse)
    }
    let statShape = Array(x.shape[..<axis]) + Array(repeating: 1, count: rank - axis)
    var outputs = [try c.floatTensor(y, x.shape, as: x.elementType)]
    if c.wantsOutput(1) || c.wantsOutput(2) {
      outputs.append(try c.floatTensor(means, statShape, as: .float32))
      outputs.append(try c.floatTensor(inverses, statShape, as: .float32))
    }
    return outputs
  }

  /// LpNormalization: `x / ‖x‖ₚ` along `axis` (default −1) with `p` 1 or 2 (default 2), in
  /// double. A zero norm gives NaN (0/0), as the ONNX reference.
  static func lpNormalization(_ c: KernelContext) throws -> GraphTensor {
    let x = try c.input(0, "input")
    let axis = try c.axis(try c.int("axis", -1), rank: x.shape.count)
    let p = try c.int("p", 2)
    guard p == 1 || p == 2 else { throw c.error("p \(p) must be 1 or 2") }
    let values = try c.floats(x, "input")
    let length = x.shape[axis], inner = TensorLayout.product(x.shape[(axis + 1)...])
    let outer = TensorLayout.product(x.shape[..<axis])
    var y = values
    for o in 0..<outer {
      for i in 0..<inner {
        let base = o * length * inner + i
        var norm = 0.0
        for j in 0..<length {
          let v = values[base + j * inner]
          norm += p == 1 ? Swift.abs(v) : v * v
        }
        if p == 2 { norm = norm.squareRoot() }
        for j in 0..<length { y[base + j * inner] = values[base + j * inner] / norm }
      }
    }
    return try c.floatTensor(y, x.shape, as: x.elementType)
  }
}
