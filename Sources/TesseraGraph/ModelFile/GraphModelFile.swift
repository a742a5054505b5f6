import Foundation

/// A model file holding a graph-IR model: a `.safetensors` file whose
/// `__metadata__["tessera.graph"]` is graph JSON version 2 (``GraphDocument``) and whose tensors
/// are the graph's initializers, stored under their value names in their own dtypes.
///
/// Version-1 files (a list of layers, written by earlier Tessera builds and by training) are read
/// by `TesseraNN`'s `ModelFile` and converted to a ``Graph`` there; ``version(of:)`` tells the two
/// apart without decoding either.
///
/// For example:
/// ```swift
/// let model = GraphModelFile(graph: graph)
/// try model.write(to: "model.safetensors")
/// let back = try GraphModelFile(contentsOf: "model.safetensors")
/// ```
public struct GraphModelFile: Sendable, Equatable {
  /// Metadata key of the graph JSON (shared with version 1).
  public static let graphKey = "tessera.graph"

  /// The model.
  public var graph: Graph
  /// Other `__metadata__` entries kept with the file (training record, tokenizer, …).
  public var metadata: [String: String]

  /// Wraps a graph.
  /// - Parameters:
  ///   - graph: the model.
  ///   - metadata: extra metadata entries (not `tessera.graph`).
  public init(graph: Graph, metadata: [String: String] = [:]) {
    self.graph = graph
    self.metadata = metadata
  }

  /// The graph JSON version of a model file's metadata (1 or 2), or nil when it has none.
  /// - Parameter file: a safetensors file.
  public static func version(of file: SafeTensorsFile) -> Int? {
    struct Probe: Decodable { var version: Int }
    guard let text = file.metadata[graphKey] else { return nil }
    return (try? JSONDecoder().decode(Probe.self, from: Data(text.utf8)))?.version
  }

  /// Reads a version-2 model file.
  /// - Parameter path: the `.safetensors` file.
  /// - Throws: ``SafeTensorsError`` for container problems, ``GraphIRError`` naming the file
  ///   for graph problems.
  public init(contentsOf path: String) throws {
    try self.init(file: try SafeTensorsFile(contentsOf: path), source: path)
  }

  /// Decodes a version-2 model file's graph and initializers.
  /// - Parameters:
  ///   - file: the container.
  ///   - source: a name for messages.
  /// - Throws: ``GraphIRError/invalidGraph(_:)`` naming `source` and the problem.
  public init(file: SafeTensorsFile, source: String) throws {
    func fail(_ reason: String) -> GraphIRError { .invalidGraph("\(source): \(reason)") }
    guard let text = file.metadata[Self.graphKey] else {
      throw fail("no '\(Self.graphKey)' entry in __metadata__ (not a Tessera model file)")
    }
    let document: GraphDocument
    do {
      document = try JSONDecoder().decode(GraphDocument.self, from: Data(text.utf8))
    } catch {
      throw fail("graph JSON is not version-2 graph JSON (\(error))")
    }
    var tensors = [String: GraphTensor]()
    for name in file.names { tensors[name] = file[graphTensor: name] }
    let listed = Set(document.initializers.map(\.name))
    if let orphan = file.names.first(where: { !listed.contains($0) }) {
      throw fail("tensor '\(orphan)' is not an initializer of the graph")
    }
    do {
      graph = try document.graph(tensors: tensors)
    } catch let error as GraphIRError {
      throw fail("\(error)")
    }
    for (name, tensor) in graph.initializers {
      if let values = tensor.float32, let bad = values.firstIndex(where: { !$0.isFinite }) {
        throw fail("initializer '\(name)' holds \(values[bad]) at element \(bad) (weights must be finite)")
      }
    }
    metadata = file.metadata.filter { $0.key != Self.graphKey }
  }

  /// The container: graph JSON v2 in the metadata, initializers sorted by name.
  /// - Throws: ``GraphIRError`` when the graph is invalid.
  public func safeTensors() throws -> SafeTensorsFile {
    var file = SafeTensorsFile(metadata: metadata)
    file.metadata[Self.graphKey] = String(decoding: try GraphDocument(graph).json(), as: UTF8.self)
    for name in graph.initializers.keys.sorted() { file[graphTensor: name] = graph.initializers[name] }
    return file
  }

  /// Writes the file atomically (temporary file + rename).
  /// - Parameter path: destination.
  /// - Throws: ``GraphIRError`` for an invalid graph, ``SafeTensorsError/io(path:reason:)`` when
  ///   writing fails.
  public func write(to path: String) throws {
    try safeTensors().write(to: path)
  }
}
