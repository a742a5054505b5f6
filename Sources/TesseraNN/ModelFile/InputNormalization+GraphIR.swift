import Tessera

extension InputNormalization {
  /// Appends the normalization `(x − mean[c]) / std[c]` to a graph as `Sub` (`normalize.sub`) and
  /// `Div` (`normalize.div`) nodes with constants `input.mean` / `input.std` of shape `[C, 1, 1]`
  /// (one value: `[1]`), so the graph takes raw `[0, 1]` pixels as the model file does.
  /// - Parameters:
  ///   - graph: the graph to extend.
  ///   - input: the value to normalize.
  ///   - sampleRank: rank of one sample (3 for `[C, H, W]`).
  /// - Returns: the normalized value's name, `normalize`.
  /// - Throws: `GraphIRError` when the constants cannot be formed.
  public func appendNodes(to graph: inout Graph, input: String, sampleRank: Int) throws -> String {
    let shape = mean.count > 1 ? [mean.count] + Array(repeating: 1, count: max(sampleRank - 1, 0)) : [1]
    graph.initializers["input.mean"] = try GraphTensor(float32: mean, shape: shape)
    graph.initializers["input.std"] = try GraphTensor(float32: std, shape: shape)
    graph.nodes.append(Node(name: "normalize.sub", op: "Sub", inputs: [input, "input.mean"], outputs: ["normalize.sub"]))
    graph.nodes.append(Node(name: "normalize.div", op: "Div", inputs: ["normalize.sub", "input.std"], outputs: ["normalize"]))
    return "normalize"
  }

  /// The normalization a graph's leading `Sub` (mean) and/or `Div` (std) describe, or nil when
  /// it has neither (a missing part is mean 0 or std 1).
  /// - Parameters:
  ///   - mean: the subtracted values, if any.
  ///   - std: the divisors, if any.
  /// - Returns: the normalization, or nil.
  public static func leading(mean: [Float]?, std: [Float]?) -> InputNormalization? {
    guard mean != nil || std != nil else { return nil }
    return InputNormalization(
      mean: mean ?? Array(repeating: 0, count: std!.count), std: std ?? Array(repeating: 1, count: mean!.count))
  }
}
