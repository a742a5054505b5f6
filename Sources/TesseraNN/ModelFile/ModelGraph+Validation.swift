import Tessera

extension ModelGraph {
  /// Largest per-sample element count accepted for the input and for any layer's output (2²⁸,
  /// 1 GiB of float32 per sample), so a malformed graph can neither overflow shape arithmetic
  /// nor exhaust memory.
  public static let maximumSampleElements = 1 << 28

  /// Checks the parts of the graph that need no tensors: the schema version, the input shape,
  /// every declared per-layer shape, and the input normalization (one value or one per
  /// channel, finite means, positive finite standard deviations).
  ///
  /// For example:
  /// ```swift
  /// let graph = try ModelGraph(json: text, source: "graph.json")
  /// try graph.validateInput(source: "graph.json")
  /// ```
  /// - Parameter source: a name for messages (the file path).
  /// - Throws: `SafeTensorsError.graph(path:reason:)` naming the first problem.
  public func validateInput(source: String) throws {
    func fail(_ reason: String) -> SafeTensorsError { .graph(path: source, reason: reason) }
    guard version <= TesseraNNModule.graphVersion, version >= 1 else {
      throw fail("version \(version) is not supported (this build reads 1...\(TesseraNNModule.graphVersion))")
    }
    if let problem = Self.sampleShapeProblem(input.shape) { throw fail("input shape \(input.shape) \(problem)") }
    for spec in layers {
      for (what, shape) in [("input", spec.inputShape), ("output", spec.outputShape)] {
        if let shape, let problem = Self.sampleShapeProblem(shape) {
          throw fail("layer '\(spec.name)' declares \(what) shape \(shape), which \(problem)")
        }
      }
    }
    if let classes, classes < 1 { throw fail("classes \(classes) must be at least 1") }
    if let normalization = input.normalization {
      let channels = input.shape[0]
      let (mean, std) = (normalization.mean, normalization.std)
      guard mean.count == std.count, mean.count == 1 || mean.count == channels else {
        let needed = channels == 1 ? "1" : "1 or \(channels) (one per channel)"
        throw fail("input normalization has \(mean.count) mean and \(std.count) std values; needs \(needed) of each")
      }
      guard mean.allSatisfy(\.isFinite), std.allSatisfy({ $0.isFinite && $0 > 0 }) else {
        throw fail("input normalization needs finite means and positive finite standard deviations, got mean \(mean) std \(std)")
      }
    }
  }

  /// Checks that a model ending in `finalShape` agrees with ``classes``.
  /// - Parameters:
  ///   - finalShape: the last layer's per-sample output shape (nil when unknown).
  ///   - source: a name for messages.
  /// - Throws: `SafeTensorsError.graph(path:reason:)` when they disagree.
  func checkClasses(finalShape: [Int]?, source: String) throws {
    guard let classes, let finalShape, finalShape != [classes] else { return }
    throw SafeTensorsError.graph(
      path: source, reason: "classes is \(classes) but the last layer outputs shape \(finalShape)")
  }

  /// Why `shape` is not a usable per-sample shape (nil when it is).
  static func sampleShapeProblem(_ shape: [Int]) -> String? {
    guard !shape.isEmpty, shape.allSatisfy({ $0 > 0 }) else { return "must be non-empty and positive" }
    guard let count = Tensor<Float>.elementCount(shape), count <= maximumSampleElements else {
      return "has more than \(maximumSampleElements) elements per sample"
    }
    return nil
  }
}
