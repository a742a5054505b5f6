extension OperatorKernels {
  /// ConstantOfShape (opset 9): a tensor of the shape given by the 1-D int64 input (empty: a
  /// scalar), every element the one value of the `value` tensor attribute (default float32 0).
  static func constantOfShape(_ c: KernelContext) throws -> GraphTensor {
    let shape = try c.integerList(try c.input(0, "input"), "input")
    let fill: GraphTensor
    switch c.node.attributes["value"] {
    case nil: fill = try c.tensor(.float32([0]), [1])
    case let .tensor(t)?: fill = t
    case let other?: throw c.error("attribute 'value' must be a tensor, got \(other)")
    }
    guard fill.count == 1 else { throw c.error("'value' must hold one element, got shape \(fill.shape)") }
    let n = try c.count(shape)
    return try c.tensor(fill.storage.gathered(Array(repeating: 0, count: n)), shape)
  }

  /// Tile: the input repeated `repeats[i]` times along each axis i (1-D int64 input, one
  /// non-negative count per axis; opset 6+).
  static func tile(_ c: KernelContext) throws -> GraphTensor {
    let x = try c.input(0, "input")
    let repeats = try c.integerList(try c.input(1, "repeats"), "repeats")
    let rank = x.shape.count
    guard repeats.count == rank else { throw c.error("repeats \(repeats) must have one entry per axis of \(x.shape)") }
    guard repeats.allSatisfy({ $0 >= 0 }) else { throw c.error("repeats \(repeats) must be non-negative") }
    let shape = try (0..<rank).map { i in
      let (p, overflow) = x.shape[i].multipliedReportingOverflow(by: repeats[i])
      guard !overflow else { throw c.error("output size \(x.shape[i]) × \(repeats[i]) overflows") }
      return p
    }
    _ = try c.count(shape)
    // Output axis i of size r·d read as the pair (r, d): stride 0 for the repeat, the input's stride for d.
    let strides = TensorLayout.strides(x.shape)
    let split = (0..<rank).flatMap { [repeats[$0], x.shape[$0]] }
    let offsets = TensorLayout.offsets(shape: split, strides: (0..<rank).flatMap { [0, strides[$0]] })
    return try c.tensor(x.storage.gathered(offsets), shape)
  }
}
