import TesseraNN

extension TensorDescription {
  /// Checks named tensors against a model's inputs: every input present and no other, each of
  /// the right element type and rank, every fixed dimension equal, every symbolic dimension the
  /// same size wherever it appears.
  /// - Parameters:
  ///   - feeds: tensors by input name.
  ///   - inputs: the model's inputs.
  /// - Throws: ``EngineError/invalidInput(_:)`` naming the input and giving the expected and
  ///   the given element type or shape.
  static func check(_ feeds: [String: GraphTensor], against inputs: [TensorDescription]) throws {
    let names = inputs.map(\.name)
    if let unknown = feeds.keys.sorted().first(where: { !names.contains($0) }) {
      throw EngineError.invalidInput("unknown input '\(unknown)': the model takes \(names.joined(separator: ", "))")
    }
    var bound: [String: (size: Int, input: String)] = [:]
    for input in inputs {
      guard let t = feeds[input.name] else {
        throw EngineError.invalidInput("missing input '\(input.name)': the model takes \(inputs.map(\.description).joined(separator: ", "))")
      }
      guard t.elementType == input.elementType else {
        throw EngineError.invalidInput("input '\(input.name)': element type \(t.elementType), expected \(input.elementType)")
      }
      guard let dims = input.shape else { continue }
      let expected = "[" + dims.map(\.description).joined(separator: ", ") + "]"
      guard dims.count == t.shape.count else {
        throw EngineError.invalidInput("input '\(input.name)': shape \(t.shape), expected \(expected) (rank \(dims.count))")
      }
      for (axis, (d, size)) in zip(dims, t.shape).enumerated() {
        switch d {
        case let .fixed(v) where v != size:
          throw EngineError.invalidInput("input '\(input.name)': shape \(t.shape), expected \(expected) (dimension \(axis) must be \(v))")
        case let .symbol(s):
          if let other = bound[s], other.size != size {
            throw EngineError.invalidInput(
              "input '\(input.name)': shape \(t.shape), expected \(expected) with \(s) = \(other.size) as in '\(other.input)'")
          }
          bound[s] = (size, input.name)
        default: break
        }
      }
    }
  }
}
