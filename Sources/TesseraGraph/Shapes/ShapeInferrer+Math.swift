/// Shape rules for the element-wise math, comparison, logical and selection operators.
extension ShapeInferrer {
  /// The broadcast shape of the inputs at `indices` (nil when one's shape is unknown), after
  /// checking that the inputs at `sameType` share an element type.
  private func broadcastInputs(_ n: Node, _ indices: [Int], sameType: [Int]) throws -> [Dimension]? {
    let known = sameType.compactMap { i in type(n, i).map { (i, $0) } }
    if let (i, first) = known.first, let (j, _) = known.first(where: { $0.1.elementType != first.elementType }) {
      throw fail(n, "element types differ: \(describe(n, i)) and \(describe(n, j))")
    }
    var shapes = [[Dimension]]()
    for i in indices {
      guard let s = shape(n, i) else { return nil }
      shapes.append(s)
    }
    return try broadcast(n, shapes, names: indices.map { describe(n, $0) })
  }

  /// Equal, Less, Greater, LessOrEqual, GreaterOrEqual, And, Or, Xor: bool, the broadcast of A
  /// and B (of one element type).
  func comparison(_ n: Node) throws -> [TensorType?] {
    outputs(n, TensorType(.bool, try broadcastInputs(n, [0, 1], sameType: [0, 1])))
  }

  /// Pow: X's type, the broadcast of X and Y (Y may have another numeric type).
  func pow(_ n: Node) throws -> [TensorType?] {
    guard let x = type(n, 0) else { return unknown(n) }
    return outputs(n, TensorType(x.elementType, try broadcastInputs(n, [0, 1], sameType: [0])))
  }

  /// Max, Min, Sum, Mean: the broadcast of every input, all of one element type.
  func variadic(_ n: Node) throws -> [TensorType?] {
    let present = n.inputs.indices.filter { n.input($0) != nil }
    guard let elementType = present.lazy.compactMap({ self.type(n, $0)?.elementType }).first else { return unknown(n) }
    return outputs(n, TensorType(elementType, try broadcastInputs(n, present, sameType: present)))
  }

  /// Where: X's (= Y's) type, the broadcast of condition, X and Y.
  func whereSelect(_ n: Node) throws -> [TensorType?] {
    if let condition = type(n, 0), condition.elementType != .bool {
      throw fail(n, "condition \(describe(n, 0)) must be bool")
    }
    guard let elementType = type(n, 1)?.elementType ?? type(n, 2)?.elementType else { return unknown(n) }
    return outputs(n, TensorType(elementType, try broadcastInputs(n, [0, 1, 2], sameType: [1, 2])))
  }
}
