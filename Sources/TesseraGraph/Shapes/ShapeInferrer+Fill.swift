/// Shape rules for the operators that make tensors from shapes: ConstantOfShape and Tile.
extension ShapeInferrer {
  /// ConstantOfShape: the `value` attribute's type (float32 without one) and the shape its input
  /// holds, symbols included (`ConstantOfShape(Shape(x))` has x's shape). An input whose values
  /// are unknown gives one fresh symbol per element when its length is fixed, else an unknown rank.
  func constantOfShape(_ n: Node) throws -> [TensorType?] {
    let elementType = n.attributes["value"]?.tensor?.elementType ?? .float32
    if let v = value(n, 0) {
      if let bad = v.elements.first(where: { ($0.value ?? 0) < 0 }) {
        throw fail(n, "shape \(v.elements) has the negative size \(bad)")
      }
      return outputs(n, TensorType(elementType, v.elements))
    }
    if let s = shape(n, 0), s.count == 1, let length = s[0].value {
      return outputs(n, TensorType(elementType, (0..<length).map { _ in fresh(n) }))
    }
    return outputs(n, TensorType(elementType, nil))
  }

  /// Tile: the input's type, each size times its constant repeat count (a symbol repeated once
  /// stays; a symbol repeated more, or an unknown count, gives a fresh symbol; a fixed size 0
  /// stays 0).
  func tile(_ n: Node) throws -> [TensorType?] {
    guard let t = type(n, 0) else { return unknown(n) }
    guard let x = t.shape else { return outputs(n, t) }
    let repeats = ints(n, 1)
    if let repeats, repeats.count != x.count {
      throw fail(n, "repeats \(repeats) must have one entry per axis of \(describe(n, 0))")
    }
    let shape = x.indices.map { i -> Dimension in
      switch (x[i], repeats?[i]) {
      case let (.fixed(d), r?):
        let (size, overflow) = d.multipliedReportingOverflow(by: r)
        return overflow || r < 0 ? fresh(n) : .fixed(size)
      case (.fixed(0), nil): return .fixed(0)
      case (.symbol, 1?): return x[i]
      default: return fresh(n)
      }
    }
    return outputs(n, TensorType(t.elementType, shape))
  }
}
