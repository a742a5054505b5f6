import SwiftProtobuf
import TesseraGraph

/// Writes graphs as ONNX models (`.onnx`) and tensors as serialized `TensorProto`s (`.pb`).
///
/// The model's `ir_version` follows the opset (ONNX's versioning table), initializers are
/// stored as `raw_data` inside the model, `Graph.valueTypes` become `value_info` and symbolic
/// dimensions `dim_param`. Importing the result gives an equal graph with byte-identical
/// initializers.
///
/// ```swift
/// try ONNXExporter.write(graph, to: "build/mlp.onnx")
/// ```
public enum ONNXExporter {
  /// The largest model the exporter writes (protobuf's 2 GiB message limit).
  public static let maximumModelBytes = Int(Int32.max)

  /// The ONNX IR version for a default-domain opset: 11 → 6, 12–14 → 7, 15–18 → 8, 19–20 → 9,
  /// 21 → 10 (and 10 beyond).
  /// - Parameter opset: the default-domain opset.
  public static func irVersion(forOpset opset: Int) -> Int {
    switch opset {
    case ...11: 6
    case 12...14: 7
    case 15...18: 8
    case 19...20: 9
    default: 10
    }
  }

  /// The serialized ONNX model (`ModelProto` bytes) for a graph.
  /// - Parameters:
  ///   - graph: the graph; it is validated first, and nodes are written in topological order.
  ///   - producer: the model's `producer_name`.
  /// - Returns: the model bytes; the same graph always gives the same bytes.
  /// - Throws: `GraphIRError` when the graph is invalid; ``ONNXError/unsupportedFeature(source:feature:)``
  ///   when the model would exceed ``maximumModelBytes``.
  /// - Complexity: O(initializer bytes + nodes).
  public static func serialized(_ graph: Graph, producer: String = "tessera") throws -> [UInt8] {
    let valid = try graph.validate()
    let data = valid.initializers.values.reduce(0) { $0 + $1.byteCount }
    guard data < maximumModelBytes else {
      throw ONNXError.unsupportedFeature(
        source: graph.name, feature: "a model with more than 2 GiB of initializers (external data export)")
    }
    let bytes: [UInt8] = try ONNXModelWriter.model(valid, producer: producer).serializedBytes()
    guard bytes.count <= maximumModelBytes else {
      throw ONNXError.unsupportedFeature(source: graph.name, feature: "a model larger than 2 GiB")
    }
    return bytes
  }

  /// Writes a graph as an ONNX model file, atomically: a temp file in the same folder is written
  /// and renamed over `path`, so readers never see a partial model and a failure leaves nothing
  /// behind.
  /// - Parameters:
  ///   - graph: the graph; it is validated first.
  ///   - path: the `.onnx` file to create or replace.
  ///   - producer: the model's `producer_name`.
  /// - Throws: `GraphIRError` when the graph is invalid; ``ONNXError/writeFailed(path:reason:)``
  ///   when the file cannot be written.
  public static func write(_ graph: Graph, to path: String, producer: String = "tessera") throws {
    try ONNXFile.writeAtomically(try serialized(graph, producer: producer), to: path)
  }

  /// A serialized `TensorProto` (the ONNX backend test data format), data in `raw_data`.
  /// - Parameters:
  ///   - tensor: the tensor.
  ///   - name: its name.
  /// - Returns: the tensor bytes.
  /// - Throws: `SwiftProtobuf` errors only if serialization fails (not expected).
  public static func serialized(_ tensor: GraphTensor, name: String) throws -> [UInt8] {
    try ONNXModelWriter.tensor(tensor, name: name).serializedBytes()
  }

  /// Writes a tensor as a serialized `TensorProto` file, atomically.
  /// - Parameters:
  ///   - tensor: the tensor.
  ///   - name: its name.
  ///   - path: the `.pb` file.
  /// - Throws: ``ONNXError/writeFailed(path:reason:)`` when the file cannot be written.
  public static func write(_ tensor: GraphTensor, name: String, to path: String) throws {
    try ONNXFile.writeAtomically(try serialized(tensor, name: name), to: path)
  }
}
