import Foundation
import Tessera

/// A model file: one `.safetensors` file whose `__metadata__` holds the graph as JSON under
/// `"tessera.graph"` (see ``ModelGraph``) and, optionally, how it was trained under
/// `"tessera.training"`. Tensors are named `<layer>.<role>`; dtypes may be float32, int8, uint8
/// or int32, so quantized models use the same format.
///
/// Reading validates the safetensors container, then the graph against the tensors: every
/// referenced tensor exists and every tensor is referenced, weight shapes match the layer
/// attributes, and the per-sample shapes chain from the input to the last layer.
///
/// For example:
/// ```swift
/// let file = try ModelFile(contentsOf: "Models/mlp.safetensors")
/// let model = try Sequential(modelFile: file)
/// try model.modelFile().write(to: "copy.safetensors")
/// ```
public struct ModelFile: Sendable, Equatable {
  /// Metadata key of the graph JSON.
  public static let graphKey = "tessera.graph"
  /// Metadata key of the training record JSON.
  public static let trainingKey = "tessera.training"
  /// Metadata key that marks a quantized model (written by TesseraQuantization); such files may
  /// hold model-level tensors and extra layer roles.
  public static let quantizationKey = "tessera.quantization"

  /// The network.
  public var graph: ModelGraph
  /// The tensors (and any extra metadata keys).
  public var tensors: SafeTensorsFile
  /// How the model was trained (epochs, seed, accuracy, …), when recorded.
  public var training: [String: GraphValue]?

  /// Makes a model file from parts (not validated until ``validate(source:)`` or writing).
  /// - Parameters:
  ///   - graph: the network.
  ///   - tensors: the tensors.
  ///   - training: optional training record.
  public init(graph: ModelGraph, tensors: SafeTensorsFile, training: [String: GraphValue]? = nil) {
    self.graph = graph
    self.tensors = tensors
    self.training = training
  }

  /// Reads and validates a model file.
  /// - Parameter path: the `.safetensors` file.
  /// - Throws: `SafeTensorsError` naming the file and the problem.
  public init(contentsOf path: String) throws {
    let file = try SafeTensorsFile(contentsOf: path)
    guard let text = file.metadata[Self.graphKey] else {
      throw SafeTensorsError.graph(path: path, reason: "no '\(Self.graphKey)' entry in __metadata__ (not a Tessera model file)")
    }
    graph = try ModelGraph(json: Data(text.utf8), source: path)
    if let record = file.metadata[Self.trainingKey] {
      training = (try? JSONDecoder().decode(GraphValue.self, from: Data(record.utf8)))?.object
    }
    tensors = file
    try validate(source: path)
  }

  /// Checks the graph against the tensors.
  /// - Parameter source: a name for messages.
  /// - Throws: `SafeTensorsError.graph(path:reason:)` naming the first disagreement.
  public func validate(source: String = "model") throws {
    func fail(_ reason: String) -> SafeTensorsError { .graph(path: source, reason: reason) }
    try graph.validateInput(source: source)
    var names = Set<String>(), referenced = [String: String]()
    for spec in graph.layers {
      guard names.insert(spec.name).inserted else { throw fail("duplicate layer name '\(spec.name)'") }
      for (role, tensor) in spec.tensors.sorted(by: { $0.key < $1.key }) {
        guard tensors[tensor] != nil else {
          throw fail("layer '\(spec.name)' role '\(role)' names tensor '\(tensor)', which is not in the file")
        }
        if let other = referenced[tensor] { throw fail("tensor '\(tensor)' is used by both '\(other)' and '\(spec.name)'") }
        referenced[tensor] = spec.name
      }
    }
    // Quantized files (with "tessera.quantization" metadata) may carry model-level tensors
    // (input scale, zero point) and extra roles (weight_scale, output_scale, ...).
    let quantized = tensors.metadata[Self.quantizationKey] != nil
    if !quantized, let orphan = tensors.names.first(where: { referenced[$0] == nil }) {
      throw fail("tensor '\(orphan)' is not used by any layer")
    }
    var shape: [Int]? = graph.input.shape
    for spec in graph.layers {
      if let declared = spec.inputShape, let actual = shape, declared != actual {
        throw fail("layer '\(spec.name)' declares input shape \(declared) but receives \(actual)")
      }
      let known = LayerKinds.all.contains(spec.kind)
      var output = spec.outputShape
      if known, let input = shape ?? spec.inputShape {
        do {
          let layer = try LayerKinds.makeLayer(spec)
          let computed = try layer.outputShape(for: input)
          if let problem = ModelGraph.sampleShapeProblem(computed) {
            throw fail("layer '\(spec.name)' output shape \(computed) \(problem)")
          }
          if let declared = output, declared != computed {
            throw fail("layer '\(spec.name)' declares output shape \(declared) but computes \(computed)")
          }
          output = computed
          for parameter in layer.parameters {
            guard let name = spec.tensors[parameter.role], let tensor = tensors[name] else {
              throw fail("layer '\(spec.name)' (\(spec.kind)) has no '\(parameter.role)' tensor")
            }
            // A compact int8 weight (bit-packed / bitmask, see CompactWeights) is a 1-D byte
            // stream; the quantized reader expands and checks it against this shape.
            let compact = quantized && parameter.role == "weight"
              && (spec.attributes[CompactWeights.attribute]?.string).map { $0 != CompactWeights.Encoding.dense.rawValue } == true
            guard compact || tensor.shape == parameter.shape else {
              throw fail("tensor '\(name)' has shape \(tensor.shape) but layer '\(spec.name)' needs \(parameter.shape)")
            }
            // A negative running variance makes √(σ² + ε) NaN: every output of the layer.
            if parameter.role == "running_var", let bad = tensor.float32?.scalars.first(where: { $0 < 0 }) {
              throw fail("tensor '\(name)' holds variance \(bad) (variances must be ≥ 0)")
            }
          }
          let roles = Set(layer.parameters.map(\.role))
          if !quantized,
            let extra = spec.tensors.keys.sorted().first(where: { !roles.contains($0) })
          {
            throw fail("layer '\(spec.name)' (\(spec.kind)) has an unexpected tensor role '\(extra)'")
          }
        } catch let error as GraphError {
          throw fail(error.description)
        } catch let error as TesseraError {
          throw fail(error.description)
        }
      }
      shape = output
    }
    try graph.checkClasses(finalShape: shape, source: source)
    for name in tensors.names {
      guard let values = tensors[name]?.float32?.scalars, let bad = values.firstIndex(where: { !$0.isFinite }) else { continue }
      throw fail("tensor '\(name)' holds \(values[bad]) at element \(bad) (weights must be finite)")
    }
  }

  /// Writes the file atomically with the graph (and training record) in `__metadata__`.
  /// - Parameter path: destination.
  /// - Throws: `SafeTensorsError` when the graph and tensors disagree or writing fails.
  public func write(to path: String) throws {
    try validate(source: path)
    try withMetadata().write(to: path)
  }

  /// The safetensors file with the graph and training record in its metadata.
  /// - Throws: `EncodingError` for non-finite numbers in the graph.
  public func withMetadata() throws -> SafeTensorsFile {
    var file = tensors
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    file.metadata[Self.graphKey] = String(decoding: try encoder.encode(graph), as: UTF8.self)
    if let training {
      file.metadata[Self.trainingKey] = String(decoding: try encoder.encode(GraphValue.object(training)), as: UTF8.self)
    }
    return file
  }

  /// Bytes of all tensor data.
  public var tensorBytes: Int { tensors.names.reduce(0) { $0 + (tensors[$1]?.byteCount ?? 0) } }

  static func describe(_ error: DecodingError) -> String {
    switch error {
    case let .keyNotFound(key, context):
      "missing '\(key.stringValue)' at \(path(context))"
    case let .typeMismatch(_, context), let .valueNotFound(_, context):
      "wrong type at \(path(context))"
    case let .dataCorrupted(context):
      context.codingPath.isEmpty ? "not valid JSON" : "invalid value at \(path(context))"
    @unknown default:
      "unreadable"
    }
  }

  private static func path(_ context: DecodingError.Context) -> String {
    let parts = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }
    return parts.isEmpty ? "top level" : parts.joined()
  }
}
