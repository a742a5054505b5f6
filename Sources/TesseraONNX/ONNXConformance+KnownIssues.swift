import TesseraGraph

extension ONNXConformance {
  /// Cases of the onnx 1.16.2 node tests whose expected outputs are wrong by the ONNX spec (and
  /// were corrected upstream later), with the reason. They still run and are reported `failed`,
  /// with this explanation at the start of the reason; the conformance test expects them to fail.
  public static let knownWrongExpectations: [String: String] = [
    "test_qlinearmatmul_2D_int8_float32": qLinearMatMulWraps,
    "test_qlinearmatmul_3D_int8_float32": qLinearMatMulWraps,
    "test_averagepool_3d_dilations_large_count_include_pad_is_1_ceil_mode_is_True":
      "the expected data divides windows that hang past the input (ceil_mode) by the full kernel size; "
      + "onnx.reference and onnxruntime count only the taps inside the padded input, and onnx 1.18 "
      + "corrected the data",
  ]

  private static let qLinearMatMulWraps =
    "the expected data wraps out-of-range int8 results (-236 → 20) where the spec saturates (-128); "
    + "onnx/onnx#6169, fixed by onnx/onnx#7868"

  /// The reason a data set's outputs are random, or nil: a `Dropout` node fed `training_mode`
  /// true with a nonzero ratio draws its mask from a random generator (numpy's, in the ONNX
  /// tests), which no other implementation reproduces.
  /// - Parameters:
  ///   - graph: the graph.
  ///   - feeds: the data set's inputs by name.
  static func randomOutputs(_ graph: Graph, feeds: [String: GraphTensor]) -> String? {
    func value(_ name: String?) -> GraphTensor? { name.flatMap { feeds[$0] ?? graph.initializers[$0] } }
    for node in graph.nodes where node.op == "Dropout" {
      guard value(node.input(2))?.doubles.first == 1 else { continue }
      let ratio = value(node.input(1))?.doubles.first ?? 0.5
      if ratio != 0 {
        return "node '\(node.name)': training-mode Dropout with ratio \(ratio) draws a random mask; "
          + "the expected outputs come from numpy's generator and cannot be reproduced"
      }
    }
    return nil
  }
}

/// A data set whose outputs are random, so it cannot be compared (classified unsupported).
struct RandomOutputs: Error, CustomStringConvertible {
  let description: String
}
