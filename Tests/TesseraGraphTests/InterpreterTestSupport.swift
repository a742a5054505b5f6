import Foundation
import Testing

@testable import TesseraGraph

/// Helpers for the interpreter suites (a protocol, so the short names stay out of the test
/// target's global namespace).
protocol InterpreterTesting {}

extension InterpreterTesting {
  /// Evaluates one node of `op` on `inputs` (nil = omitted optional input).
  func evaluate(
    _ op: String, _ inputs: [GraphTensor?], _ attributes: [String: Attribute] = [:], opset: Int = 17, outputs: Int = 1
  ) throws -> [GraphTensor] {
    let names = inputs.enumerated().map { $0.element == nil ? "" : "in\($0.offset)" }
    let node = Node(name: "n", op: op, inputs: names, outputs: (0..<outputs).map { "out\($0)" }, attributes: attributes)
    return try OperatorKernels.evaluate(node, inputs: inputs, opset: opset)
  }

  /// The first output of one node.
  func evaluate1(
    _ op: String, _ inputs: [GraphTensor?], _ attributes: [String: Attribute] = [:], opset: Int = 17
  ) throws -> GraphTensor {
    try evaluate(op, inputs, attributes, opset: opset)[0]
  }

  /// A float32 tensor (1-D when no shape is given).
  func f32(_ values: [Float], _ shape: [Int]? = nil) throws -> GraphTensor {
    try GraphTensor(float32: values, shape: shape ?? [values.count])
  }

  /// An int64 tensor (1-D when no shape is given).
  func i64(_ values: [Int64], _ shape: [Int]? = nil) throws -> GraphTensor {
    try GraphTensor(int64: values, shape: shape ?? [values.count])
  }

  /// A tensor of any storage (1-D when no shape is given).
  func tensor(_ storage: GraphTensor.Storage, _ shape: [Int]? = nil) throws -> GraphTensor {
    try GraphTensor(storage, shape: shape ?? [storage.count])
  }

  /// Expects float elements within `tolerance` (relative 1e-5 by default) and the shape.
  func expectClose(
    _ t: GraphTensor, _ expected: [Double], shape: [Int]? = nil, tolerance: Double = 1e-5,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    if let shape { #expect(t.shape == shape, sourceLocation: sourceLocation) }
    let got = t.doubles
    #expect(got.count == expected.count, "count \(got.count) vs \(expected.count)", sourceLocation: sourceLocation)
    for (i, (a, b)) in zip(got, expected).enumerated() where !(a.isNaN && b.isNaN) {
      #expect(abs(a - b) <= tolerance * max(1, abs(b)), "element \(i): \(a) vs \(b)", sourceLocation: sourceLocation)
    }
  }

  /// Expects `body` to throw an error whose message contains every one of `fragments`.
  func expectError(
    _ fragments: String..., sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Any
  ) {
    do {
      _ = try body()
      Issue.record("expected an error containing \(fragments)", sourceLocation: sourceLocation)
    } catch {
      let message = "\(error)"
      for f in fragments {
        #expect(message.contains(f), "'\(message)' lacks '\(f)'", sourceLocation: sourceLocation)
      }
    }
  }

  /// Deterministic pseudo-random values in about [-scale, scale].
  func wave(_ count: Int, seed: Double, scale: Double = 0.5) -> [Float] {
    (0..<count).map { Float(sin(Double($0) * 0.73 + seed) * scale) }
  }
}
