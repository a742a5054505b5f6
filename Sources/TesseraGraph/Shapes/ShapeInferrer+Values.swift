/// Tracking of constants and small integer values through the nodes that build shapes
/// (`Shape → Gather → Unsqueeze → Concat → Reshape`), so that Reshape, Expand, Slice and friends
/// can read targets computed in the graph.
extension ShapeInferrer {
  /// Records what is known about `n`'s outputs' values after their types are set.
  /// - Throws: ``GraphIRError/invalidTensor(_:)`` for a malformed `Constant`.
  func recordValues(_ n: Node) throws {
    guard n.domain.isEmpty || n.domain == "ai.onnx", let out = n.outputs.first, !out.isEmpty else { return }
    if n.op == "Constant" {
      if let t = try Self.constantValue(of: n) {
        constants[out] = t
        values[out] = KnownIntegerValue(t)
      }
      return
    }
    guard let v = try value(of: n), v.elements.count <= KnownIntegerValue.maximumCount else { return }
    values[out] = v
  }

  private func value(of n: Node) throws -> KnownIntegerValue? {
    switch n.op {
    case "Shape":
      guard let x = shape(n, 0) else { return nil }
      return KnownIntegerValue(Array(x[try shapeRange(n, rank: x.count)]))
    case "Identity": return value(n, 0)
    case "Cast":
      let to = ElementType(onnxCode: try n.int("to"))
      return to == .int64 || to == .int32 ? value(n, 0) : nil
    case "Gather":
      guard let data = value(n, 0), !data.isScalar, let indices = ints(n, 1), let ishape = shape(n, 1), ishape.count <= 1,
        try n.int("axis", default: 0) == 0
      else { return nil }
      let count = data.elements.count
      guard indices.allSatisfy({ $0 >= -count && $0 < count }) else { return nil }
      return KnownIntegerValue(indices.map { data.elements[$0 < 0 ? $0 + count : $0] }, isScalar: ishape.isEmpty)
    case "Unsqueeze":
      guard let v = value(n, 0), v.isScalar else { return nil }
      let axes = opset < 13 ? try n.ints("axes") : ints(n, 1)
      return axes == [0] || axes == [-1] ? KnownIntegerValue(v.elements) : nil
    case "Squeeze":
      guard let v = value(n, 0), !v.isScalar, v.elements.count == 1 else { return nil }
      return KnownIntegerValue(v.elements, isScalar: true)
    case "Concat":
      guard try n.int("axis") == 0 || (try n.int("axis")) == -1 else { return nil }
      var all = [Dimension]()
      for i in n.inputs.indices where n.input(i) != nil {
        guard let v = value(n, i), !v.isScalar else { return nil }
        all += v.elements
      }
      return KnownIntegerValue(all)
    case "Slice":
      guard let v = value(n, 0), !v.isScalar, let p = try sliceParameters(n, rank: 1), p.count == 1 else { return nil }
      let size = v.elements.count
      var i = p[0].start < 0 ? p[0].start + size : p[0].start
      i = p[0].step > 0 ? min(max(i, 0), size) : min(max(i, 0), size - 1)
      let length = Self.sliceLength(size: size, start: p[0].start, end: p[0].end, step: p[0].step)
      return KnownIntegerValue((0..<length).map { v.elements[i + $0 * p[0].step] })
    case "Add", "Sub", "Mul", "Div": return arithmetic(n)
    case "CastLike":
      let to = type(n, 1)?.elementType
      return to == .int64 || to == .int32 ? value(n, 0) : nil
    case "Size":
      guard let x = shape(n, 0) else { return nil }
      let product = SymbolicProduct(x)
      return product.dimension.map { KnownIntegerValue([$0], isScalar: true) }
    case "ConstantOfShape":
      // A 1-D integer fill of known length, e.g. the ones of PyTorch's expand pattern.
      guard let length = ints(n, 0), length.count == 1, length[0] <= KnownIntegerValue.maximumCount,
        let fill = n.attributes["value"]?.tensor, fill.elementType == .int64 || fill.elementType == .int32,
        let v = fill.integers?.first
      else { return nil }
      return KnownIntegerValue(Array(repeating: .fixed(v), count: length[0]))
    case "Equal": return equal(n)
    case "Where": return select(n)
    default: return nil
    }
  }

  /// Equal on known values, as 0/1: fixed sizes compare; a symbol equals itself and never a
  /// negative number (sizes are ≥ 0), which resolves PyTorch's `Where(Equal(shape, -1), 1, shape)`.
  private func equal(_ n: Node) -> KnownIntegerValue? {
    guard let a = value(n, 0), let b = value(n, 1) else { return nil }
    let count = max(a.elements.count, b.elements.count)
    guard a.elements.count == count || a.elements.count == 1, b.elements.count == count || b.elements.count == 1 else { return nil }
    var out = [Dimension]()
    for i in 0..<count {
      let x = a.elements[a.elements.count == 1 ? 0 : i], y = b.elements[b.elements.count == 1 ? 0 : i]
      switch (x, y) {
      case let (.fixed(p), .fixed(q)): out.append(.fixed(p == q ? 1 : 0))
      case let (.symbol(s), .symbol(t)) where s == t: out.append(.fixed(1))
      case let (.symbol, .fixed(q)) where q < 0: out.append(.fixed(0))
      case let (.fixed(p), .symbol) where p < 0: out.append(.fixed(0))
      default: return nil
      }
    }
    return KnownIntegerValue(out, isScalar: a.isScalar && b.isScalar)
  }

  /// Where on a known 0/1 condition: the chosen elements, which must be known.
  private func select(_ n: Node) -> KnownIntegerValue? {
    guard let condition = value(n, 0)?.fixed, let x = value(n, 1), let y = value(n, 2) else { return nil }
    let count = max(condition.count, x.elements.count, y.elements.count)
    for v in [condition.count, x.elements.count, y.elements.count] where v != count && v != 1 { return nil }
    let out = (0..<count).map { i in
      condition[condition.count == 1 ? 0 : i] != 0 ? x.elements[x.elements.count == 1 ? 0 : i] : y.elements[y.elements.count == 1 ? 0 : i]
    }
    return KnownIntegerValue(out, isScalar: x.isScalar && y.isScalar && condition.count == 1 && value(n, 0)!.isScalar)
  }

  /// Elementwise integer arithmetic on known values (with broadcasting of one element); a symbol
  /// survives only `· 1`, `/ 1`, `+ 0` and `− 0`.
  private func arithmetic(_ n: Node) -> KnownIntegerValue? {
    guard let a = value(n, 0), let b = value(n, 1) else { return nil }
    let count = max(a.elements.count, b.elements.count)
    guard a.elements.count == count || a.elements.count == 1, b.elements.count == count || b.elements.count == 1 else { return nil }
    var out = [Dimension]()
    for i in 0..<count {
      let x = a.elements[a.elements.count == 1 ? 0 : i], y = b.elements[b.elements.count == 1 ? 0 : i]
      switch (n.op, x, y) {
      case let (op, .fixed(p), .fixed(q)):
        let (r, overflow): (Int, Bool) =
          switch op {
          case "Add": p.addingReportingOverflow(q)
          case "Sub": p.subtractingReportingOverflow(q)
          case "Mul": p.multipliedReportingOverflow(by: q)
          default: q == 0 ? (0, true) : p.dividedReportingOverflow(by: q)
          }
        guard !overflow else { return nil }
        out.append(.fixed(r))
      case ("Add", .symbol, .fixed(0)), ("Sub", .symbol, .fixed(0)), ("Mul", .symbol, .fixed(1)), ("Div", .symbol, .fixed(1)):
        out.append(x)
      case ("Add", .fixed(0), .symbol), ("Mul", .fixed(1), .symbol): out.append(y)
      default: return nil
      }
    }
    return KnownIntegerValue(out, isScalar: a.isScalar && b.isScalar)
  }
}
