import Foundation
import TesseraEmbeddings
import TesseraNN
import TesseraONNX
import TesseraQuantization
import TesseraRuntime

/// Reads the model files every command accepts: an ONNX file (`.onnx`), a graph-IR model file
/// (graph JSON version 2) or a version-1 Tessera model file (float or int8), as a graph or as
/// the engine's loaded model.
enum ModelSource {
  /// True when `path` is a graph-IR file: ONNX, or a model file holding graph JSON version 2.
  static func isGraphFile(_ path: String) throws -> Bool {
    if isONNX(path) { return true }
    return GraphModelFile.version(of: try SafeTensorsFile(contentsOf: path)) == GraphDocument.version
  }

  /// True when `path` names an ONNX file (by extension).
  static func isONNX(_ path: String) -> Bool { (path as NSString).pathExtension.lowercased() == "onnx" }

  /// The model as a graph-IR graph: imported from ONNX, read from a v2 file, or converted from a
  /// v1 file (int8 files become QDQ graphs).
  static func graph(_ path: String) throws -> Graph {
    if isONNX(path) { return try importONNX(path) }
    if SentenceTransformerFolder.isFolder(path) { return try SentenceTransformerFolder(contentsOf: path).graph() }
    let file = try SafeTensorsFile(contentsOf: path)
    if GraphModelFile.version(of: file) == GraphDocument.version {
      return try GraphModelFile(file: file, source: path).graph
    }
    if file.metadata[QuantizedNetwork.metadataKey] != nil {
      let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
      return try QuantizedNetwork(file: file, source: path).graphIR(name: name)
    }
    return try ModelFile(contentsOf: path).graphIR()
  }

  /// Imports an ONNX file; graph errors (cycles, missing values) are prefixed with the file.
  static func importONNX(_ path: String) throws -> Graph {
    do {
      return try ONNXImporter.graph(contentsOf: path)
    } catch let error as GraphIRError {
      throw CLIError("\(path): \(error)")
    }
  }

  /// The model ready for an engine: v1 files load as before, graphs are lowered onto the chain
  /// engine when they are chains, and otherwise kept for the compiled graph engine (float) or
  /// the reference interpreter.
  static func loaded(_ path: String) throws -> LoadedModel {
    isONNX(path) || SentenceTransformerFolder.isFolder(path) ? try LoadedModel(graph: try graph(path)) : try LoadedModel(contentsOf: path)
  }

  /// An engine for any accepted model file that takes one float input of samples (what `run`,
  /// `validate` and `bench` feed).
  /// - Throws: ``CLIError`` for a model with several or non-float inputs (a text model, say).
  static func engine(_ path: String, configuration: EngineConfiguration) throws -> Engine {
    let engine = try Engine(loaded(path), configuration: configuration)
    guard engine.inputCount > 0 else {
      throw CLIError(
        "\(path): takes \(engine.inputs.map(\.description).joined(separator: ", ")); this command feeds one float input of samples (use `tessera embed` for a text model)")
    }
    return engine
  }

  /// True when a loaded model computes in int8.
  static func isQuantized(_ model: LoadedModel) -> Bool {
    switch model {
    case .float: false
    case .quantized: true
    case let .graph(g, _): g.computesInInt8
    }
  }

  /// The float network of a float model file for the chain quantizer (ONNX and graph files must
  /// lower onto the fast engine: a chain of dense/conv/pool layers).
  /// - Parameters:
  ///   - path: the model file.
  ///   - loaded: the model when already loaded from `path`.
  static func floatNetwork(_ path: String, loaded model: LoadedModel? = nil) throws -> FusedNetwork {
    switch try model ?? loaded(path) {
    case let .float(f): return f
    case .quantized: throw CLIError("\(path): is already an int8 model; pass the float model")
    case let .graph(_, reason):
      throw CLIError("\(path): the quantizer handles chains of dense/conv/pool layers for now, and this graph is not one (\(reason))")
    }
  }
}
