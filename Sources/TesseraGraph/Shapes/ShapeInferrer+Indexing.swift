/// Shape rules for operators that index or describe shapes: Shape, Gather, Slice, Range.
extension ShapeInferrer {
  /// The `[start, end)` range of axes that Shape reports (opset 15 attributes, clamped).
  func shapeRange(_ n: Node, rank: Int) throws -> Range<Int> {
    guard opset >= 15 else { return 0..<rank }
    func clamp(_ v: Int) -> Int { min(max(v < 0 ? v + rank : v, 0), rank) }
    let start = clamp(try n.int("start", default: 0)), end = clamp(try n.int("end", default: rank))
    return start..<max(start, end)
  }

  /// Shape: int64 `[rank]` (or `[end − start]` with the opset-15 attributes).
  func shapeOp(_ n: Node) throws -> [TensorType?] {
    guard let x = shape(n, 0) else { return outputs(n, TensorType(.int64, [fresh(n)])) }
    return outputs(n, TensorType(.int64, [.fixed(try shapeRange(n, rank: x.count).count)]))
  }

  /// Gather: `data[..<axis] + indices.shape + data[(axis+1)...]`; constant indices must be in
  /// range of a fixed axis.
  func gather(_ n: Node) throws -> [TensorType?] {
    guard let t = type(n, 0) else { return unknown(n) }
    guard let x = t.shape, let indices = shape(n, 1) else { return outputs(n, TensorType(t.elementType, nil)) }
    guard !x.isEmpty else { throw fail(n, "data \(describe(n, 0)) must have rank ≥ 1") }
    let axis = try normalize(n, axis: try n.int("axis", default: 0), rank: x.count)
    if let size = x[axis].value, let list = ints(n, 1), let bad = list.first(where: { $0 < -size || $0 >= size }) {
      throw fail(n, "index \(bad) is out of range for axis \(axis) of \(describe(n, 0))")
    }
    return outputs(n, TensorType(t.elementType, Array(x[..<axis]) + indices + Array(x[(axis + 1)...])))
  }

  /// The length of a slice of an axis of size `size` (ONNX clamping rules).
  static func sliceLength(size: Int, start: Int, end: Int, step: Int) -> Int {
    var s = start < 0 ? start + size : start
    var e = end < 0 ? end + size : end
    if step > 0 {
      s = min(max(s, 0), size)
      e = min(max(e, 0), size)
      return max(0, (e - s + step - 1) / step)
    }
    s = min(max(s, 0), size - 1)
    e = min(max(e, -1), size - 1)
    return max(0, (s - e - step - 1) / -step)
  }

  /// The constant parameters of a Slice: (axis, start, end, step) per sliced axis, or nil when
  /// not all are known.
  func sliceParameters(_ n: Node, rank: Int) throws -> [(axis: Int, start: Int, end: Int, step: Int)]? {
    guard let starts = ints(n, 1), let ends = ints(n, 2), starts.count == ends.count else { return nil }
    var axes = Array(0..<starts.count), steps = Array(repeating: 1, count: starts.count)
    if n.input(3) != nil {
      guard let a = ints(n, 3) else { return nil }
      axes = try a.map { try normalize(n, axis: $0, rank: rank) }
    }
    if n.input(4) != nil {
      guard let s = ints(n, 4) else { return nil }
      steps = s
    }
    guard axes.count == starts.count, steps.count == starts.count, Set(axes).count == axes.count,
      axes.allSatisfy({ $0 < rank })
    else { throw fail(n, "starts \(starts), ends \(ends), axes \(axes) and steps \(steps) do not fit rank \(rank)") }
    guard !steps.contains(0) else { throw fail(n, "a slice step is 0") }
    return (0..<starts.count).map { (axes[$0], starts[$0], ends[$0], steps[$0]) }
  }

  /// Slice (opset ≥ 10, inputs starts/ends/axes/steps): exact sizes on fixed axes; a symbolic
  /// axis sliced whole (`0 … ≥ 2³¹−1`, step 1) keeps its symbol, others get fresh symbols, as do
  /// all axes that may be sliced when the parameters are not constant.
  func slice(_ n: Node) throws -> [TensorType?] {
    guard let t = type(n, 0) else { return unknown(n) }
    guard let x = t.shape else { return outputs(n, t) }
    guard let params = try sliceParameters(n, rank: x.count) else {
      let touched = ints(n, 3).map { Set($0.map { $0 < 0 ? $0 + x.count : $0 }) }
      return outputs(n, TensorType(t.elementType, x.indices.map { touched?.contains($0) == false ? x[$0] : fresh(n) }))
    }
    var out = x
    for p in params {
      if let size = x[p.axis].value {
        out[p.axis] = .fixed(Self.sliceLength(size: size, start: p.start, end: p.end, step: p.step))
      } else if !(p.start == 0 && p.step == 1 && p.end >= Int(Int32.max)) {
        out[p.axis] = fresh(n)
      }
    }
    return outputs(n, TensorType(t.elementType, out))
  }

  /// Range: 1-D of `max(⌈(limit − start) / delta⌉, 0)` elements of start's type.
  func range(_ n: Node) throws -> [TensorType?] {
    guard let elementType = type(n, 0)?.elementType else { return unknown(n) }
    func number(_ i: Int) -> Double? { constant(n, i)?.doubles.first ?? ints(n, i)?.first.map(Double.init) }
    guard let s = number(0), let l = number(1), let d = number(2) else {
      // Range(0, size, 1) of a symbolic size (position ids: `Range(0, Shape(x)[1], 1)`) has that size.
      if number(0) == 0, number(2) == 1, let limit = value(n, 1), limit.elements.count == 1, case .symbol = limit.elements[0] {
        return outputs(n, TensorType(elementType, [limit.elements[0]]))
      }
      return outputs(n, TensorType(elementType, [fresh(n)]))
    }
    guard d != 0 else { throw fail(n, "delta is 0") }
    let count = max(Int(((l - s) / d).rounded(.up)), 0)
    return outputs(n, TensorType(elementType, [.fixed(count)]))
  }
}
