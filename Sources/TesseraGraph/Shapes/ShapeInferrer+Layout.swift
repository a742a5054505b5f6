/// Shape rules for operators that rearrange a tensor: Reshape, Flatten, Transpose, Squeeze,
/// Unsqueeze, Concat, Expand, Pad.
extension ShapeInferrer {
  /// Reshape with a known target (a constant, or a value built from `Shape`): `0` copies the
  /// input's size at that index (unless `allowzero`), `-1` takes the remaining element count.
  /// With symbols, `-1` absorbs the symbolic part when the quotient is exact (`[batch, 1, 28, 28]`
  /// to `[-1, 784]` gives `batch`), else gets a fresh symbol. An unknown target of known length
  /// gives that many fresh symbols.
  /// - Throws: ``GraphIRError/invalidNode(node:op:reason:)`` when the element counts certainly
  ///   differ, or for two `-1`s, a size below -1 or a `0` past the input's rank.
  func reshape(_ n: Node) throws -> [TensorType?] {
    guard let t = type(n, 0) else { return unknown(n) }
    guard let target = value(n, 1), !target.isScalar else {
      if let s = shape(n, 1), s.count == 1, let k = s[0].value { return outputs(n, TensorType(t.elementType, (0..<k).map { _ in fresh(n) })) }
      return outputs(n, TensorType(t.elementType, nil))
    }
    let allowZero = try opset >= 14 && n.int("allowzero", default: 0) != 0
    var out = [Dimension?]()
    var inferred: Int?
    for (i, d) in target.elements.enumerated() {
      switch d {
      case .fixed(-1):
        guard inferred == nil else { throw fail(n, "target shape \(target.elements) has two -1 entries") }
        inferred = i
        out.append(nil)
      case .fixed(0) where !allowZero:
        guard let x = t.shape else { out.append(fresh(n)); continue }
        guard i < x.count else { throw fail(n, "target shape \(target.elements) copies axis \(i) but \(describe(n, 0)) has rank \(x.count)") }
        out.append(x[i])
      case let .fixed(v) where v < -1: throw fail(n, "target shape \(target.elements) has size \(v)")
      default: out.append(d)
      }
    }
    let known = SymbolicProduct(out.compactMap { $0 })
    if let x = t.shape {
      let total = SymbolicProduct(x)
      let message = "cannot reshape \(describe(n, 0)) to \(target.elements)"
      if let k = inferred {
        if total.isFixed, known.isFixed {
          guard known.constant != 0, total.constant % known.constant == 0 else { throw fail(n, message) }
          out[k] = .fixed(total.constant / known.constant)
        } else if let d = total.dividing(by: known)?.dimension {
          out[k] = d
        }
      } else if total.symbols == known.symbols, !total.overflowed, !known.overflowed, total.constant != known.constant,
        total.symbols.isEmpty || (total.constant != 0 && known.constant != 0)
      {
        throw fail(n, message)
      }
    }
    return outputs(n, TensorType(t.elementType, out.map { $0 ?? fresh(n) }))
  }

  /// Flatten: `[∏ x[..<axis], ∏ x[axis...]]`; a product that is not a single fixed size or
  /// symbol becomes a fresh symbol.
  func flatten(_ n: Node) throws -> [TensorType?] {
    guard let t = type(n, 0) else { return unknown(n) }
    guard let x = t.shape else { return outputs(n, TensorType(t.elementType, [fresh(n), fresh(n)])) }
    let axis = try normalize(n, axis: try n.int("axis", default: 1), rank: x.count, inclusive: true)
    let dims = [SymbolicProduct(x[..<axis]), SymbolicProduct(x[axis...])].map { $0.dimension ?? fresh(n) }
    return outputs(n, TensorType(t.elementType, dims))
  }

  /// Transpose: `perm` (default reversed) must be a permutation of the axes.
  func transpose(_ n: Node) throws -> [TensorType?] {
    guard let t = type(n, 0) else { return unknown(n) }
    guard let x = t.shape else { return outputs(n, t) }
    let perm = try n.ints("perm") ?? Array((0..<x.count).reversed())
    guard perm.sorted() == Array(0..<x.count) else { throw fail(n, "perm \(perm) is not a permutation for \(describe(n, 0))") }
    return outputs(n, TensorType(t.elementType, perm.map { x[$0] }))
  }

  /// The `axes` of Squeeze/Unsqueeze: an attribute before opset 13, input 1 from 13. Nil when
  /// absent; `.some(nil)` when given but not known.
  private func axes(_ n: Node) throws -> [Int]?? {
    if opset < 13 { return try n.ints("axes").map { .some($0) } }
    guard n.input(1) != nil else { return nil }
    return .some(ints(n, 1))
  }

  /// Squeeze: removes the listed axes (each must be 1 when fixed), or every size-1 axis when
  /// none are listed (unknown rank when a symbol could be 1).
  func squeeze(_ n: Node) throws -> [TensorType?] {
    guard let t = type(n, 0) else { return unknown(n) }
    guard let x = t.shape else { return outputs(n, t) }
    switch try axes(n) {
    case .none:
      if x.contains(where: { $0.value == nil }) { return outputs(n, TensorType(t.elementType, nil)) }
      return outputs(n, TensorType(t.elementType, x.filter { $0 != .fixed(1) }))
    case .some(.none): return outputs(n, TensorType(t.elementType, nil))
    case let .some(.some(list)):
      let axes = try Set(list.map { try normalize(n, axis: $0, rank: x.count) })
      for a in axes where x[a].value.map({ $0 != 1 }) ?? false {
        throw fail(n, "cannot squeeze axis \(a) of \(describe(n, 0)): its size is not 1")
      }
      return outputs(n, TensorType(t.elementType, x.indices.filter { !axes.contains($0) }.map { x[$0] }))
    }
  }

  /// Unsqueeze: inserts size-1 axes at the listed positions of the output.
  func unsqueeze(_ n: Node) throws -> [TensorType?] {
    guard let t = type(n, 0) else { return unknown(n) }
    guard let x = t.shape, case let .some(.some(list)) = try axes(n) else { return outputs(n, TensorType(t.elementType, nil)) }
    let rank = x.count + list.count
    let axes = try list.map { try normalize(n, axis: $0, rank: rank) }
    guard Set(axes).count == axes.count else { throw fail(n, "axes \(list) repeat an axis") }
    var rest = x.makeIterator()
    return outputs(n, TensorType(t.elementType, (0..<rank).map { axes.contains($0) ? .fixed(1) : rest.next()! }))
  }

  /// Concat: equal ranks; sizes off the axis must agree (a fixed size wins over a symbol); the
  /// axis size is the sum (a symbol when all other parts are 0, else a fresh symbol).
  func concat(_ n: Node) throws -> [TensorType?] {
    let indices = n.inputs.indices.filter { n.input($0) != nil }
    guard let elementType = indices.lazy.compactMap({ self.type(n, $0)?.elementType }).first else { return unknown(n) }
    let shapes = indices.map { shape(n, $0) }
    guard let first = shapes.compactMap({ $0 }).first else { return outputs(n, TensorType(elementType, nil)) }
    let axis = try normalize(n, axis: try n.int("axis"), rank: first.count)
    var out = first
    for (i, s) in zip(indices, shapes) {
      guard let s else { continue }
      guard s.count == first.count else { throw fail(n, "inputs have different ranks: \(describe(n, indices[0])) and \(describe(n, i))") }
      for d in s.indices where d != axis {
        switch (out[d], s[d]) {
        case let (.fixed(a), .fixed(b)) where a != b:
          throw fail(n, "inputs differ off the concatenation axis \(axis): \(describe(n, indices[0])) and \(describe(n, i))")
        case (.symbol, .fixed): out[d] = s[d]
        default: break
        }
      }
    }
    let parts = shapes.map { $0?[axis] }
    if parts.allSatisfy({ $0?.value != nil }) {
      out[axis] = .fixed(parts.reduce(0) { $0 + $1!.value! })
    } else {
      let symbolic = parts.filter { $0?.value != 0 }
      out[axis] = symbolic.count == 1 && symbolic[0] != nil ? symbolic[0]! : fresh(n)
    }
    return outputs(n, TensorType(elementType, out))
  }

  /// Expand: the input broadcast with the target shape (input 1).
  func expand(_ n: Node) throws -> [TensorType?] {
    guard let t = type(n, 0) else { return unknown(n) }
    guard let x = t.shape, let target = value(n, 1), !target.isScalar else {
      if let x = t.shape, let s = shape(n, 1), s.count == 1, let k = s[0].value {
        return outputs(n, TensorType(t.elementType, (0..<max(k, x.count)).map { _ in fresh(n) }))
      }
      return outputs(n, TensorType(t.elementType, nil))
    }
    if target.fixed?.contains(where: { $0 < 0 }) == true { throw fail(n, "target shape \(target.elements) has a negative size") }
    return outputs(n, TensorType(t.elementType, try broadcast(n, [x, target.elements], names: [describe(n, 0), "shape \(target.elements)"])))
  }

  /// Pad (opset ≥ 11: pads at input 1, axes at input 3 from opset 18): each padded size grows by
  /// its begin and end pads; unknown pads give fresh symbols.
  func pad(_ n: Node) throws -> [TensorType?] {
    guard let t = type(n, 0) else { return unknown(n) }
    guard let x = t.shape else { return outputs(n, t) }
    var axes = Array(x.indices)
    if n.input(3) != nil {
      guard let list = ints(n, 3) else { return outputs(n, TensorType(t.elementType, x.map { _ in fresh(n) })) }
      axes = try list.map { try normalize(n, axis: $0, rank: x.count) }
    }
    guard let pads = ints(n, 1) else { return outputs(n, TensorType(t.elementType, x.map { _ in fresh(n) })) }
    guard pads.count == 2 * axes.count else { throw fail(n, "pads \(pads) do not fit \(axes.count) axes of \(describe(n, 0))") }
    var out = x
    for (k, a) in axes.enumerated() {
      let grow = pads[k] + pads[k + axes.count]
      if let v = x[a].value {
        guard v + grow >= 0 else { throw fail(n, "pads \(pads) make axis \(a) of \(describe(n, 0)) negative") }
        out[a] = .fixed(v + grow)
      } else if grow != 0 {
        out[a] = fresh(n)
      }
    }
    return outputs(n, TensorType(t.elementType, out))
  }
}
