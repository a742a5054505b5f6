/// Shape rules for the reductions and the normalizations over trailing axes.
extension ShapeInferrer {
  /// ReduceSum, ReduceMean, ReduceMax, ReduceMin, ReduceProd, ReduceL1, ReduceL2,
  /// ReduceSumSquare, ReduceLogSum, ReduceLogSumExp: the input's type with the reduced axes set to
  /// 1 (`keepdims` 1, default) or removed (0); other sizes, symbols included, are kept. Axes come
  /// from the attribute before opset 18 (13 for ReduceSum), else from the constant input; none
  /// means all axes (no axis with `noop_with_empty_axes`). Axes computed at run time keep the
  /// rank with `keepdims` (every size a fresh symbol, except fixed 1s), and give the rank
  /// `rank − length` when only the axes' length is known.
  func reduction(_ n: Node) throws -> [TensorType?] {
    guard let reduction = Reduction(rawValue: n.op), let t = type(n, 0) else { return unknown(n) }
    if t.elementType == .bool, reduction != .max, reduction != .min {
      throw fail(n, "data \(describe(n, 0)) is bool; only ReduceMax and ReduceMin take bool")
    }
    guard let x = t.shape else { return outputs(n, TensorType(t.elementType, nil)) }
    let keepDims = try n.int("keepdims", default: 1) != 0
    let asInput = opset >= reduction.axesInputOpset
    var listed: [Int]?
    if asInput {
      if n.input(1) != nil {
        guard let axes = ints(n, 1) else {
          if keepDims { return outputs(n, TensorType(t.elementType, x.map { $0 == .fixed(1) ? $0 : fresh(n) })) }
          guard let length = shape(n, 1)?.first?.value, shape(n, 1)?.count == 1 else {
            return outputs(n, TensorType(t.elementType, nil))
          }
          return outputs(n, TensorType(t.elementType, length == 0 ? nil : (0..<max(x.count - length, 0)).map { _ in fresh(n) }))
        }
        listed = axes
      }
    } else {
      listed = try n.ints("axes")
    }
    let axes: Set<Int>
    if let listed, !listed.isEmpty {
      let normalized = try listed.map { try normalize(n, axis: $0, rank: x.count) }
      guard Set(normalized).count == normalized.count else { throw fail(n, "axes \(listed) repeat an axis") }
      axes = Set(normalized)
    } else {
      let noop = try asInput && n.int("noop_with_empty_axes", default: 0) != 0
      axes = noop ? [] : Set(x.indices)
    }
    let shape = x.enumerated().compactMap { i, d in axes.contains(i) ? (keepDims ? .fixed(1) : nil) : d }
    return outputs(n, TensorType(t.elementType, shape))
  }

  /// LayerNormalization: Y like X; Mean and InvStdDev float32 with X's shape, the normalized axes
  /// `[axis, rank)` set to 1. Scale and B must broadcast to the normalized sizes when fixed.
  func layerNormalization(_ n: Node) throws -> [TensorType?] {
    guard let t = type(n, 0) else { return unknown(n) }
    guard let x = t.shape else { return outputs(n, t, TensorType(.float32, nil), TensorType(.float32, nil)) }
    let axis = try normalize(n, axis: try n.int("axis", default: -1), rank: x.count)
    let normalized = Array(x[axis...])
    for i in [1, 2] {
      guard let p = shape(n, i) else { continue }
      let fits = p.count <= normalized.count && zip(p.reversed(), normalized.reversed()).allSatisfy { a, b in
        guard let a = a.value, let b = b.value else { return true }
        return a == b || a == 1
      }
      guard fits else {
        throw fail(n, "\(i == 1 ? "Scale" : "B") \(describe(n, i)) does not broadcast to the normalized axes \(normalized) of \(describe(n, 0))")
      }
    }
    let stat = TensorType(.float32, Array(x[..<axis]) + Array(repeating: .fixed(1), count: x.count - axis))
    return outputs(n, t, stat, stat)
  }

  /// LpNormalization: the input's type; the axis must be in range.
  func lpNormalization(_ n: Node) throws -> [TensorType?] {
    if let rank = shape(n, 0)?.count { _ = try normalize(n, axis: try n.int("axis", default: -1), rank: rank) }
    return outputs(n, type(n, 0))
  }
}
