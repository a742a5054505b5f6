import TesseraNN
import TesseraQuantization

/// A model file's content: an int8 network (quantization metadata present) or a float one.
public enum LoadedModel: Sendable {
  /// A float model, folded.
  case float(FusedNetwork)
  /// An int8 model.
  case quantized(QuantizedNetwork)

  /// Reads a model file and decides its kind from `__metadata__["tessera.quantization"]`.
  /// - Parameter path: a `.safetensors` model file.
  /// - Throws: ``SafeTensorsError`` or ``QuantizationError`` naming the file and problem.
  public init(contentsOf path: String) throws {
    let file = try SafeTensorsFile(contentsOf: path)
    if file.metadata[QuantizedNetwork.metadataKey] != nil {
      self = .quantized(try QuantizedNetwork(file: file, source: path))
    } else {
      self = .float(try FusedNetwork(graph: try FusedNetwork.graph(in: file, source: path), tensors: file, source: path))
    }
  }

  /// Per-sample input shape.
  public var inputShape: [Int] {
    switch self {
    case let .float(f): f.inputShape
    case let .quantized(q): q.inputShape
    }
  }
}
