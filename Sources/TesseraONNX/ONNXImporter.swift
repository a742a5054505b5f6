import SwiftProtobuf
import TesseraGraph

/// Reads ONNX models (`.onnx`) into the graph IR, and serialized tensors (`.pb`, the ONNX backend
/// test data format) into `GraphTensor`s.
///
/// The importer maps ONNX to the IR one to one: nodes keep their operator names and attributes,
/// initializers become `Graph.initializers` (from `raw_data`, the typed data fields or
/// external data files beside the model), `value_info` becomes `Graph.valueTypes`. It accepts
/// default-domain opsets `Graph.supportedOpsets` and the operators of `OperatorSet`, and
/// returns the graph validated, in topological order.
///
/// ```swift
/// let graph = try ONNXImporter.graph(contentsOf: "models/mlp.onnx")
/// print(graph.nodes.map(\.op))     // ["Gemm", "Relu", "Gemm"]
/// ```
public enum ONNXImporter {
  /// The supported default-domain opsets as text (`11-21`).
  static var supportedOpsetText: String { "\(Graph.supportedOpsets.lowerBound)-\(Graph.supportedOpsets.upperBound)" }

  /// Reads an ONNX model file; external data files are read from the model's folder.
  /// - Parameter path: the `.onnx` file.
  /// - Returns: the validated graph, nodes in topological order.
  /// - Throws: ``ONNXError`` naming the file for unreadable, empty or malformed files and
  ///   unsupported features; `GraphIRError` for unsupported operators
  ///   (`unsupportedOperator(node:op:opset:)`) and structural problems (cycles, missing values).
  /// - Complexity: O(file size + nodes × inputs).
  public static func graph(contentsOf path: String) throws -> Graph {
    let bytes = try ONNXFile.contents(of: path, maximumSize: ONNXExporter.maximumModelBytes)
    return try graph(serialized: bytes, directory: ONNXFile.directory(of: path), source: path)
  }

  /// Reads a serialized ONNX model (`ModelProto` bytes).
  /// - Parameters:
  ///   - serialized: the model bytes.
  ///   - directory: the folder external data locations are relative to, or nil (then a model
  ///     with external data is an error).
  ///   - source: the name messages use for the model, usually its file name.
  /// - Returns: the validated graph, nodes in topological order.
  /// - Throws: ``ONNXError`` naming `source` or the tensor, node or value concerned;
  ///   `GraphIRError` for unsupported operators and structural problems.
  /// - Complexity: O(bytes + nodes × inputs).
  public static func graph(serialized: [UInt8], directory: String? = nil, source: String = "model.onnx") throws -> Graph {
    let model = try decode(Onnx_ModelProto.self, serialized, source: source, what: "ONNX model")
    var reader = ONNXModelReader(source: source, directory: directory)
    return try reader.graph(model)
  }

  /// Reads a serialized `TensorProto` file (`input_0.pb`, `output_0.pb` of the ONNX backend tests).
  /// - Parameter path: the `.pb` file.
  /// - Returns: the tensor.
  /// - Throws: ``ONNXError`` naming the file or tensor.
  public static func tensor(contentsOf path: String) throws -> GraphTensor {
    try namedTensor(contentsOf: path).tensor
  }

  /// Reads a serialized `TensorProto` file and the tensor's name.
  /// - Parameter path: the `.pb` file; external data is read from its folder.
  /// - Returns: the tensor's name (may be empty) and the tensor.
  /// - Throws: ``ONNXError`` naming the file or tensor.
  public static func namedTensor(contentsOf path: String) throws -> (name: String, tensor: GraphTensor) {
    let bytes = try ONNXFile.contents(of: path, maximumSize: ONNXExporter.maximumModelBytes)
    return try namedTensor(serialized: bytes, directory: ONNXFile.directory(of: path), source: path)
  }

  /// Reads serialized `TensorProto` bytes and the tensor's name.
  /// - Parameters:
  ///   - serialized: the tensor bytes.
  ///   - directory: the folder external data locations are relative to, or nil.
  ///   - source: the name messages use, usually the file name.
  /// - Returns: the tensor's name (may be empty) and the tensor.
  /// - Throws: ``ONNXError`` naming `source` or the tensor.
  public static func namedTensor(serialized: [UInt8], directory: String? = nil, source: String = "tensor.pb") throws
    -> (name: String, tensor: GraphTensor)
  {
    let proto = try decode(Onnx_TensorProto.self, serialized, source: source, what: "ONNX tensor")
    let name = proto.name.isEmpty ? ONNXModelReader.stem(of: source) : proto.name
    return (proto.name, try ONNXTensorReader(directory: directory).tensor(proto, name: name))
  }

  /// Decodes a protobuf message, turning empty input and decoding errors into one-line messages.
  static func decode<M: SwiftProtobuf.Message>(_: M.Type, _ bytes: [UInt8], source: String, what: String) throws(ONNXError)
    -> M
  {
    guard !bytes.isEmpty else { throw .invalidFile(source: source, what: what, reason: "the file is empty") }
    do {
      return try M(serializedBytes: bytes)
    } catch {
      throw .invalidFile(source: source, what: what, reason: "protobuf decoding failed: \(explain(error))")
    }
  }

  /// A short phrase for a SwiftProtobuf decoding error.
  static func explain(_ error: any Error) -> String {
    switch error {
    case BinaryDecodingError.truncated: "the data ends inside a field (truncated)"
    case BinaryDecodingError.malformedProtobuf: "malformed protobuf data"
    case BinaryDecodingError.invalidUTF8: "a string field is not valid UTF-8"
    case BinaryDecodingError.messageDepthLimit: "messages are nested too deeply"
    default: "\(error)"
    }
  }
}
