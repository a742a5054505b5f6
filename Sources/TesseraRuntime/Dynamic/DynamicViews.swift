import TesseraGraph

/// Output shapes of the view steps of a ``DynamicGraphPlan`` (ONNX semantics).
enum DynamicViews {
  static func shape(_ rule: ViewRule, input: [Int], operand: GraphTensor?, what: String) throws -> [Int] {
    let count = input.reduce(1, *)
    func bad(_ reason: String) -> EngineError { .invalidInput("\(what): \(reason)") }
    switch rule {
    case .identity: return input
    case let .flatten(axis):
      let a = axis < 0 ? axis + input.count : axis
      guard a >= 0, a <= input.count else { throw bad("axis \(axis) outside rank \(input.count)") }
      return [input[..<a].reduce(1, *), input[a...].reduce(1, *)]
    case let .reshape(allowZero):
      guard let target = operand?.integers else { throw bad("the shape input must be integers") }
      var shape = target
      for (i, v) in target.enumerated() where v == 0 && !allowZero {
        guard i < input.count else { throw bad("shape \(target): 0 at axis \(i) beyond the input's rank \(input.count)") }
        shape[i] = input[i]
      }
      let unknown = shape.indices.filter { shape[$0] == -1 }
      guard unknown.count <= 1, shape.allSatisfy({ $0 >= -1 }) else { throw bad("invalid target shape \(target)") }
      if let u = unknown.first {
        let known = shape.enumerated().filter { $0.offset != u }.reduce(1) { $0 * $1.element }
        guard known > 0, count % known == 0 else { throw bad("cannot reshape \(input) to \(target)") }
        shape[u] = count / known
      }
      guard shape.reduce(1, *) == count else { throw bad("cannot reshape \(input) (\(count) values) to \(target)") }
      return shape
    case let .unsqueeze(attribute):
      guard let axes = attribute ?? operand?.integers else { throw bad("no axes") }
      let rank = input.count + axes.count
      let normalized = Set(axes.map { $0 < 0 ? $0 + rank : $0 })
      guard normalized.count == axes.count, normalized.allSatisfy({ $0 >= 0 && $0 < rank }) else { throw bad("invalid axes \(axes)") }
      var it = input.makeIterator()
      return (0..<rank).map { normalized.contains($0) ? 1 : it.next()! }
    case let .squeeze(attribute):
      let axes = attribute ?? operand?.integers
      guard let axes else { return input.filter { $0 != 1 } }
      let normalized = Set(axes.map { $0 < 0 ? $0 + input.count : $0 })
      guard normalized.allSatisfy({ $0 >= 0 && $0 < input.count && input[$0] == 1 }) else {
        throw bad("cannot squeeze axes \(axes) of shape \(input)")
      }
      return input.enumerated().filter { !normalized.contains($0.offset) }.map(\.element)
    }
  }
}
