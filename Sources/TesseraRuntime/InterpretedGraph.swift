import Foundation
import Tessera
import TesseraNN

/// A graph neither the chain engine nor ``GraphPlan`` runs (an int8/QDQ graph that is not a
/// chain, or a graph ``GraphPlan`` refuses), run by the graph IR's reference interpreter behind
/// the same ``Engine`` interface: one float input `[batch, …per-sample shape]`, the first graph
/// output as the per-sample result.
struct InterpretedGraph: Sendable {
  let interpreter: ReferenceInterpreter
  let inputName: String
  /// Fixed per-sample input shape (the batch dimension excluded).
  let sampleShape: [Int]
  let outputName: String
  /// Values per sample of the first output.
  let outputCount: Int
  /// True when the graph computes with int8 (Quantize/DequantizeLinear or QLinear nodes).
  let isQuantized: Bool
  /// Names of the Gemm/MatMul/Conv (and int8 QLinear) nodes, whose outputs the observer receives.
  let linearNodes: [String]
  /// Bytes of the initializers.
  let weightBytes: Int

  /// Ops whose outputs validation compares between a float model and its int8 model.
  static let linearOps: Set<String> = ["Gemm", "MatMul", "Conv", "QLinearConv", "QLinearMatMul", "MatMulInteger"]

  init(graph: Graph) throws {
    interpreter = try ReferenceInterpreter(graph: graph)
    let input = try GraphInput(graph, engine: "the engine")
    inputName = input.name
    sampleShape = input.sampleShape
    guard let output = graph.outputs.first else { throw EngineError.unsupported("'\(graph.name)' has no outputs") }
    outputName = output.name
    // The output size per sample: from the declared type when fixed, else by running one zero sample.
    if let shape = output.type.shape, shape.count >= 1, case let fixed = shape.dropFirst().compactMap(\.value),
      fixed.count == shape.count - 1
    {
      outputCount = fixed.reduce(1, *)
    } else {
      let probe = try GraphTensor(zeros: .float32, shape: [1] + sampleShape)
      let result = try interpreter.run([input.name: probe])
      outputCount = result[output.name]?.count ?? 0
    }
    isQuantized = graph.computesInInt8
    linearNodes = graph.nodes.filter { Self.linearOps.contains($0.op) }.map(\.name)
    weightBytes = graph.initializers.values.reduce(0) { $0 + $1.byteCount }
  }

  var inputCount: Int { sampleShape.reduce(1, *) }

  /// Runs `count` samples; `observe` receives each linear node's float output.
  func run(_ input: [Float], count: Int, observe: ((String, [Float]) -> Void)?) throws -> [Float] {
    let x = try GraphTensor(float32: input, shape: [count] + sampleShape)
    let linear = Set(linearNodes)
    let outputs = try interpreter.run([inputName: x]) { node, values in
      guard let observe, linear.contains(node.name), let first = values.first else { return }
      observe(node.name, first.doubles.map { Float($0) })
    }
    guard let y = outputs[outputName] else { throw EngineError.unsupported("the graph produced no '\(outputName)'") }
    let values = y.doubles.map { Float($0) }
    guard values.count == count * outputCount else {
      throw EngineError.unsupported("output '\(outputName)' has \(values.count) values for \(count) samples, expected \(outputCount) each")
    }
    return values
  }
}
