extension OperatorKernels {
  /// Flatten: [d0 … d(axis−1), d(axis) … d(r−1)] → [∏ before axis, ∏ from axis]; axis in −r...r.
  static func flatten(_ c: KernelContext) throws -> GraphTensor {
    let x = try c.input(0, "input")
    let r = x.shape.count
    var axis = try c.int("axis", 1)
    guard axis >= -r, axis <= r else { throw c.error("axis \(axis) is out of range for rank \(r)") }
    if axis < 0 { axis += r }
    return try c.tensor(x.storage, [TensorLayout.product(x.shape[..<axis]), TensorLayout.product(x.shape[axis...])])
  }

  /// Reshape: 0 copies the input's dimension (unless `allowzero` is 1, opset 14+), −1 is inferred.
  static func reshape(_ c: KernelContext) throws -> GraphTensor {
    let x = try c.input(0, "data")
    let target = try c.integerList(try c.input(1, "shape"), "shape")
    let allowZero = c.opset >= 14 ? try c.int("allowzero", 0) != 0 : false
    var shape = target
    var inferred: Int?
    for (i, d) in target.enumerated() {
      switch d {
      case -1:
        guard inferred == nil else { throw c.error("shape \(target) has more than one -1") }
        inferred = i
      case 0 where !allowZero:
        guard i < x.shape.count else { throw c.error("shape \(target) copies dimension \(i), but the input \(x.shape) has rank \(x.shape.count)") }
        shape[i] = x.shape[i]
      case ..<0: throw c.error("shape \(target) has the invalid dimension \(d)")
      default: break
      }
    }
    if allowZero, inferred != nil, target.contains(0) { throw c.error("shape \(target) has both 0 and -1 with allowzero=1") }
    if let i = inferred {
      var known = 1
      for (j, d) in shape.enumerated() where j != i {
        let (p, overflow) = known.multipliedReportingOverflow(by: d)
        guard !overflow else { throw c.error("shape \(target) is too large") }
        known = p
      }
      guard known > 0, x.count % known == 0 else {
        throw c.error("cannot reshape \(x.shape) (\(x.count) elements) to \(target)")
      }
      shape[i] = x.count / known
    }
    guard try c.count(shape) == x.count else { throw c.error("cannot reshape \(x.shape) (\(x.count) elements) to \(target)") }
    return try c.tensor(x.storage, shape)
  }

  /// Transpose: output dimension i is input dimension perm[i] (default: reversed).
  static func transpose(_ c: KernelContext) throws -> GraphTensor {
    let x = try c.input(0, "data")
    let r = x.shape.count
    let perm = try c.ints("perm") ?? Array((0..<r).reversed())
    guard perm.count == r, Set(perm) == Set(0..<r) else { throw c.error("perm \(perm) is not a permutation of 0..<\(r)") }
    let strides = TensorLayout.strides(x.shape)
    let shape = perm.map { x.shape[$0] }
    return try c.tensor(x.storage.gathered(TensorLayout.offsets(shape: shape, strides: perm.map { strides[$0] })), shape)
  }

  /// The axes of Squeeze/Unsqueeze: the `axes` attribute before opset 13, the optional input after.
  private static func axesOperand(_ c: KernelContext) throws -> [Int]? {
    if c.opset < 13 { return try c.ints("axes") }
    return try c.optionalInput(1).map { try c.integerList($0, "axes") }
  }

  /// Squeeze: removes the listed size-1 axes (all size-1 axes when none are given).
  static func squeeze(_ c: KernelContext) throws -> GraphTensor {
    let x = try c.input(0, "data")
    let shape: [Int]
    if let given = try axesOperand(c) {
      let axes = Set(try c.axes(given, rank: x.shape.count))
      for a in axes where x.shape[a] != 1 { throw c.error("cannot squeeze axis \(a) of size \(x.shape[a]) (shape \(x.shape))") }
      shape = x.shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
    } else {
      shape = x.shape.filter { $0 != 1 }
    }
    return try c.tensor(x.storage, shape)
  }

  /// Unsqueeze: inserts size-1 axes at the listed positions of the output.
  static func unsqueeze(_ c: KernelContext) throws -> GraphTensor {
    let x = try c.input(0, "data")
    guard let given = try axesOperand(c) else { throw c.error("axes are required") }
    let rank = x.shape.count + given.count
    let axes = Set(try c.axes(given, rank: rank))
    var rest = x.shape.makeIterator()
    let shape = (0..<rank).map { axes.contains($0) ? 1 : rest.next()! }
    return try c.tensor(x.storage, shape)
  }

  /// Concat along `axis` (negative counts from the end); other dimensions must agree.
  static func concat(_ c: KernelContext) throws -> GraphTensor {
    let parts = c.inputs.compactMap { $0 }
    guard let first = parts.first else { throw c.error("Concat needs at least one input") }
    let r = first.shape.count
    guard r > 0 else { throw c.error("cannot concatenate scalars") }
    let axis = try c.axis(try c.node.int("axis"), rank: r)
    var shape = first.shape
    shape[axis] = 0
    for p in parts {
      try c.requireSameType(p, first, "all inputs")
      guard p.shape.count == r, (0..<r).allSatisfy({ $0 == axis || p.shape[$0] == first.shape[$0] }) else {
        throw c.error("input shapes \(parts.map(\.shape)) differ outside axis \(axis)")
      }
      shape[axis] += p.shape[axis]
    }
    _ = try c.count(shape)
    guard let joined = GraphTensor.Storage.concatenated(parts.map(\.storage)) else { throw c.error("inputs differ in type") }
    // Offsets into the flat concatenation: for each outer index, each part's block in turn.
    let outer = TensorLayout.product(shape[..<axis]), inner = TensorLayout.product(shape[(axis + 1)...])
    var starts = [Int](), offset = 0
    for p in parts {
      starts.append(offset)
      offset += p.count
    }
    var offsets = [Int]()
    offsets.reserveCapacity(TensorLayout.product(shape))
    for o in 0..<outer {
      for (i, p) in parts.enumerated() {
        let block = p.shape[axis] * inner
        offsets += (starts[i] + o * block)..<(starts[i] + (o + 1) * block)
      }
    }
    return try c.tensor(joined.gathered(offsets), shape)
  }

  /// Shape: the input's shape as int64, dimensions `start..<end` from opset 15 (clamped,
  /// negative values count from the end).
  static func shape(_ c: KernelContext) throws -> GraphTensor {
    let x = try c.input(0, "data")
    let r = x.shape.count
    func clamp(_ v: Int) -> Int { min(max(v < 0 ? v + r : v, 0), r) }
    let start = c.opset >= 15 ? clamp(try c.int("start", 0)) : 0
    let end = c.opset >= 15 ? clamp(try c.int("end", r)) : r
    let dims = start < end ? x.shape[start..<end].map { Int64($0) } : []
    return try c.tensor(.int64(dims), [dims.count])
  }

  /// Size: the input's element count as an int64 scalar.
  static func size(_ c: KernelContext) throws -> GraphTensor {
    try c.tensor(.int64([Int64(try c.input(0, "data").count)]), [])
  }

  /// Expand: broadcasts the input with the `shape` input (multidirectional, so 1s in `shape`
  /// keep the input's dimension).
  static func expand(_ c: KernelContext) throws -> GraphTensor {
    let x = try c.input(0, "input")
    let target = try c.integerList(try c.input(1, "shape"), "shape")
    for d in target where d < 0 { throw c.error("shape \(target) has a negative dimension") }
    guard let shape = TensorLayout.broadcast(x.shape, target) else {
      throw c.error("cannot broadcast \(x.shape) to \(target)")
    }
    _ = try c.count(shape)
    guard let offsets = TensorLayout.broadcastOffsets(from: x.shape, to: shape) else { return x }
    return try c.tensor(x.storage.gathered(offsets), shape)
  }
}
