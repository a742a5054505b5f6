/// A problem with an ONNX file or with a model feature Tessera does not support.
///
/// Each message is one line and names the file, tensor, node or value concerned, e.g.
/// `M.onnx: not a valid ONNX model (protobuf decoding failed: truncated)` or
/// `tensor 'x' has element type FLOAT16, which Tessera does not support`.
/// Structural graph problems (cycles, missing values, unsupported operators) are reported as
/// `GraphIRError` instead.
public enum ONNXError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file cannot be read: missing, a directory, or unreadable.
  case unreadableFile(path: String, reason: String)
  /// The bytes are not a valid ONNX message of the expected kind (`what`: "ONNX model" or
  /// "ONNX tensor"): empty, truncated, garbage, or without a graph.
  case invalidFile(source: String, what: String, reason: String)
  /// The model's default-domain opset is missing or outside `Graph.supportedOpsets`.
  case unsupportedOpset(source: String, opset: Int?)
  /// A node uses an operator domain other than the default ONNX one.
  case unsupportedDomain(node: String, op: String, domain: String)
  /// A tensor or value has an element type outside Tessera's (ONNX name, e.g. `FLOAT16`).
  case unsupportedElementType(tensor: String, type: String)
  /// A value's type is not a tensor type (sequence, map, optional, sparse) or has no type.
  case unsupportedValueType(value: String, reason: String)
  /// A node attribute of a type Tessera does not map (GRAPH, SPARSE_TENSOR, TENSORS, …).
  case unsupportedAttribute(node: String, attribute: String, type: String)
  /// A tensor whose dimensions, data fields or sizes are wrong.
  case invalidTensor(tensor: String, reason: String)
  /// A tensor's external data file is unsafe, missing, or too short.
  case invalidExternalData(tensor: String, path: String, reason: String)
  /// A model feature Tessera does not import (sparse initializers, training info, …).
  case unsupportedFeature(source: String, feature: String)
  /// Writing a file failed (nothing was left behind).
  case writeFailed(path: String, reason: String)

  /// The message.
  public var description: String {
    switch self {
    case let .unreadableFile(path, reason): "\(path): cannot read the file (\(reason))"
    case let .invalidFile(source, what, reason): "\(source): not a valid \(what) (\(reason))"
    case let .unsupportedOpset(source, opset?):
      "\(source): opset \(opset) of the default domain is not supported (Tessera supports opsets "
        + "\(ONNXImporter.supportedOpsetText))"
    case let .unsupportedOpset(source, nil):
      "\(source): the model imports no opset of the default domain (ai.onnx)"
    case let .unsupportedDomain(node, op, domain):
      "node '\(node)': operator '\(op)' of domain '\(domain)' is not supported (only the default ONNX domain is)"
    case let .unsupportedElementType(tensor, type):
      "tensor '\(tensor)' has element type \(type), which Tessera does not support"
    case let .unsupportedValueType(value, reason): "value '\(value)' \(reason)"
    case let .unsupportedAttribute(node, attribute, type):
      "node '\(node)': attribute '\(attribute)' has type \(type), which Tessera does not support"
    case let .invalidTensor(tensor, reason): "tensor '\(tensor)': \(reason)"
    case let .invalidExternalData(tensor, path, reason): "tensor '\(tensor)': external data '\(path)' \(reason)"
    case let .unsupportedFeature(source, feature): "\(source): \(feature) is not supported"
    case let .writeFailed(path, reason): "\(path): cannot write the file (\(reason))"
    }
  }
}
