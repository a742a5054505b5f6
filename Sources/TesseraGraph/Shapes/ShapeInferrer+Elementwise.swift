/// Shape rules for broadcasting and shape-preserving operators.
extension ShapeInferrer {
  /// Multidirectional (NumPy) broadcasting with symbols, per aligned position:
  /// fixed sizes other than 1 must agree (else an error); a symbol against 1 stays the symbol;
  /// a symbol against a fixed size `k ≠ 1` becomes `k` (the symbol must be 1 or `k`); two
  /// different symbols become a fresh symbol (either may be 1 at run time, so neither name is
  /// certain); the same symbol stays.
  /// - Throws: ``GraphIRError/invalidNode(node:op:reason:)`` naming the shapes.
  func broadcast(_ n: Node, _ shapes: [[Dimension]], names: [String]) throws -> [Dimension] {
    let rank = shapes.map(\.count).max() ?? 0
    var out = [Dimension]()
    for position in 0..<rank {
      var fixed = Set<Int>()
      var symbols = [String]()
      for shape in shapes {
        let i = position - (rank - shape.count)
        guard i >= 0 else { continue }
        switch shape[i] {
        case let .fixed(v) where v != 1: fixed.insert(v)
        case .fixed: break
        case let .symbol(s) where !symbols.contains(s): symbols.append(s)
        case .symbol: break
        }
      }
      if fixed.count > 1 {
        let listed = zip(names, shapes).map { "\($0) \($1)" }.joined(separator: " and ")
        throw fail(n, "cannot broadcast \(listed): sizes \(fixed.sorted()) at axis \(position - rank) differ")
      }
      if let v = fixed.first {
        out.append(.fixed(v))
      } else if symbols.isEmpty {
        out.append(.fixed(1))
      } else if symbols.count == 1 {
        out.append(.symbol(symbols[0]))
      } else {
        out.append(fresh(n))
      }
    }
    return out
  }

  /// Add, Sub, Mul, Div: equal element types, broadcast shapes.
  func elementwise(_ n: Node) throws -> [TensorType?] {
    let a = type(n, 0), b = type(n, 1)
    if let a, let b, a.elementType != b.elementType {
      throw fail(n, "element types differ: \(describe(n, 0)) and \(describe(n, 1))")
    }
    guard let elementType = a?.elementType ?? b?.elementType else { return unknown(n) }
    guard let sa = a?.shape, let sb = b?.shape else { return outputs(n, TensorType(elementType, nil)) }
    let names = [describe(n, 0), describe(n, 1)]
    return outputs(n, TensorType(elementType, try broadcast(n, [sa, sb], names: names)))
  }

  /// Softmax: the input type; the axis must be in range.
  func softmax(_ n: Node) throws -> [TensorType?] {
    if let rank = shape(n, 0)?.count {
      _ = try normalize(n, axis: try n.int("axis", default: opset >= 13 ? -1 : 1), rank: rank)
    }
    return outputs(n, type(n, 0))
  }

  /// Dropout: the input type, and a boolean mask of the same shape.
  func dropout(_ n: Node) -> [TensorType?] {
    outputs(n, type(n, 0), type(n, 0).map { TensorType(.bool, $0.shape) })
  }

  /// BatchNormalization: Y like X; scale, bias, mean and variance have C = X's axis-1 size.
  func batchNormalization(_ n: Node) throws -> [TensorType?] {
    let x = type(n, 0)
    if let shape = x?.shape {
      guard shape.count >= 2 else { throw fail(n, "input \(describe(n, 0)) must have rank ≥ 2 (N, C, …)") }
      if let c = shape[1].value {
        for (i, what) in [(1, "scale"), (2, "bias"), (3, "mean"), (4, "variance")] {
          guard let p = self.shape(n, i) else { continue }
          if p.count != 1 || (p[0].value.map { $0 != c } ?? false) {
            throw fail(n, "\(what) \(describe(n, i)) does not match the \(c) channels of \(describe(n, 0))")
          }
        }
      }
    }
    let stat = type(n, 3)
    return outputs(n, x, stat, stat, stat, stat)
  }

  /// Cast: the `to` element type, the input shape. An ONNX type the IR lacks leaves it unknown.
  func cast(_ n: Node) throws -> [TensorType?] {
    guard let to = ElementType(onnxCode: try n.int("to")) else { return unknown(n) }
    return outputs(n, TensorType(to, shape(n, 0)))
  }

  /// CastLike: the element type of `target_type` (input 1), the input shape.
  func castLike(_ n: Node) -> [TensorType?] {
    guard let to = type(n, 1)?.elementType else { return unknown(n) }
    return outputs(n, TensorType(to, shape(n, 0)))
  }

  /// Constant: the type of its value attribute (`value`, `value_float(s)`, `value_int(s)`).
  func constantNode(_ n: Node) throws -> [TensorType?] {
    outputs(n, try Self.constantValue(of: n)?.type)
  }

  /// The tensor a `Constant` node holds, or nil for a kind the IR lacks (strings, sparse).
  /// - Throws: ``GraphIRError/invalidTensor(_:)`` for a malformed list.
  static func constantValue(of n: Node) throws -> GraphTensor? {
    if let t = n.attributes["value"]?.tensor { return t }
    if let v = n.attributes["value_float"]?.float { return try GraphTensor(float32: [v], shape: []) }
    if let v = n.attributes["value_floats"]?.floats { return try GraphTensor(float32: v, shape: [v.count]) }
    if let v = n.attributes["value_int"]?.int { return try GraphTensor(int64: [Int64(v)], shape: []) }
    if let v = n.attributes["value_ints"]?.ints { return try GraphTensor(int64: v.map(Int64.init), shape: [v.count]) }
    return nil
  }
}
