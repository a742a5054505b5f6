import Foundation

/// The network description stored as JSON in a model file's `__metadata__["tessera.graph"]`.
///
/// Schema (version 1):
/// ```json
/// {"version": 1, "name": "mlp", "classes": 10,
///  "input": {"shape": [1, 28, 28], "dtype": "float32",
///            "normalization": {"mean": [0.1307], "std": [0.3081]}},
///  "layers": [
///    {"name": "fc1", "kind": "dense", "attributes": {"inputs": 784, "outputs": 256, "bias": true},
///     "tensors": {"weight": "fc1.weight", "bias": "fc1.bias"},
///     "input_shape": [784], "output_shape": [256]}, ...]}
/// ```
/// Layers run in order. `tensors` maps a role to a tensor name in the same file; a quantized
/// model adds roles (e.g. `weight_scale`) and may store `weight` as int8 and `bias` as int32.
/// Shapes are per sample (no batch dimension). See docs/training.md for every kind.
public struct ModelGraph: Sendable, Equatable, Codable {
  /// Schema version (``TesseraNNModule/graphVersion``).
  public var version: Int
  /// Model name.
  public var name: String
  /// Number of output classes (the last layer's width), when the model is a classifier.
  public var classes: Int?
  /// The model input.
  public var input: InputSpec
  /// The layers in execution order.
  public var layers: [LayerSpec]

  /// Makes a graph.
  /// - Parameters:
  ///   - name: model name.
  ///   - input: the model input.
  ///   - layers: the layers in order.
  ///   - classes: output classes.
  public init(name: String, input: InputSpec, layers: [LayerSpec], classes: Int? = nil) {
    self.version = TesseraNNModule.graphVersion
    self.name = name
    self.input = input
    self.layers = layers
    self.classes = classes
  }

  /// Decodes a graph from JSON (a model file's metadata entry or a `graph.json` file).
  /// - Parameters:
  ///   - json: the JSON text.
  ///   - source: a name for messages.
  /// - Throws: `SafeTensorsError.graph(path:reason:)` naming the missing or malformed field.
  public init(json: Data, source: String) throws {
    do {
      self = try JSONDecoder().decode(ModelGraph.self, from: json)
    } catch let error as DecodingError {
      throw SafeTensorsError.graph(path: source, reason: "malformed JSON: \(ModelFile.describe(error))")
    }
  }

  /// The model input: per-sample shape, dtype and optional normalization.
  public struct InputSpec: Sendable, Equatable, Codable {
    /// Per-sample shape, e.g. `[1, 28, 28]`.
    public var shape: [Int]
    /// Element type fed to the first layer (`float32`; a quantized engine may declare `int8`).
    public var dtype: String
    /// `(x − mean[c]) / std[c]`, applied to pixels scaled to `[0, 1]`.
    public var normalization: InputNormalization?

    /// Makes an input description.
    /// - Parameters:
    ///   - shape: per-sample shape.
    ///   - dtype: element type name.
    ///   - normalization: optional normalization.
    public init(shape: [Int], dtype: String = "float32", normalization: InputNormalization? = nil) {
      self.shape = shape
      self.dtype = dtype
      self.normalization = normalization
    }
  }
}

/// One layer of a ``ModelGraph``.
public struct LayerSpec: Sendable, Equatable, Codable {
  /// Unique layer name.
  public var name: String
  /// Kind: `dense`, `conv2d`, `maxpool2d`, `avgpool2d`, `relu`, `flatten`, `batchnorm`,
  /// `dropout`, `softmax` (other modules may add kinds).
  public var kind: String
  /// Kind-specific attributes.
  public var attributes: [String: GraphValue]
  /// Role → tensor name in the file (`weight`, `bias`, `running_mean`, `running_var`, …).
  public var tensors: [String: String]
  /// Per-sample input shape (informative; checked when present).
  public var inputShape: [Int]?
  /// Per-sample output shape (informative; checked when present).
  public var outputShape: [Int]?

  enum CodingKeys: String, CodingKey {
    case name, kind, attributes, tensors
    case inputShape = "input_shape"
    case outputShape = "output_shape"
  }

  /// Makes a layer description.
  /// - Parameters:
  ///   - name: unique layer name.
  ///   - kind: layer kind.
  ///   - attributes: kind-specific attributes.
  ///   - tensors: role → tensor name.
  ///   - inputShape: per-sample input shape.
  ///   - outputShape: per-sample output shape.
  public init(
    name: String, kind: String, attributes: [String: GraphValue] = [:], tensors: [String: String] = [:],
    inputShape: [Int]? = nil, outputShape: [Int]? = nil
  ) {
    self.name = name
    self.kind = kind
    self.attributes = attributes
    self.tensors = tensors
    self.inputShape = inputShape
    self.outputShape = outputShape
  }

  /// Decodes a layer; `attributes` and `tensors` may be omitted.
  /// - Throws: `DecodingError` when required fields are missing.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    name = try c.decode(String.self, forKey: .name)
    kind = try c.decode(String.self, forKey: .kind)
    attributes = try c.decodeIfPresent([String: GraphValue].self, forKey: .attributes) ?? [:]
    tensors = try c.decodeIfPresent([String: String].self, forKey: .tensors) ?? [:]
    inputShape = try c.decodeIfPresent([Int].self, forKey: .inputShape)
    outputShape = try c.decodeIfPresent([Int].self, forKey: .outputShape)
  }

  /// An integer attribute.
  /// - Throws: ``GraphError`` when missing or not an integer.
  public func int(_ key: String) throws -> Int {
    guard let value = attributes[key]?.int else { throw GraphError("layer '\(name)' (\(kind)): attribute '\(key)' must be an integer") }
    return value
  }

  /// A number attribute, or `defaultValue` when absent.
  /// - Throws: ``GraphError`` when present but not a number.
  public func double(_ key: String, default defaultValue: Double) throws -> Double {
    guard let value = attributes[key] else { return defaultValue }
    guard let number = value.double else { throw GraphError("layer '\(name)' (\(kind)): attribute '\(key)' must be a number") }
    return number
  }

  /// A boolean attribute, or `defaultValue` when absent.
  /// - Throws: ``GraphError`` when present but not a boolean.
  public func bool(_ key: String, default defaultValue: Bool) throws -> Bool {
    guard let value = attributes[key] else { return defaultValue }
    guard let flag = value.bool else { throw GraphError("layer '\(name)' (\(kind)): attribute '\(key)' must be true or false") }
    return flag
  }

  /// Largest value of a window attribute (`kernel`, `stride`, `padding`).
  public static let maximumWindow = 4096

  /// A `[y, x]` pair attribute (a single integer means both), or `defaultValue` when absent.
  /// - Throws: ``GraphError`` when malformed, not positive (non-negative with `allowZero`) or
  ///   above ``maximumWindow``.
  public func pair(_ key: String, default defaultValue: (Int, Int)? = nil, allowZero: Bool = false) throws -> (Int, Int) {
    let bad = GraphError(
      "layer '\(name)' (\(kind)): attribute '\(key)' must be \(allowZero ? "non-negative" : "positive") [y, x] at most \(Self.maximumWindow)")
    guard let value = attributes[key] else {
      if let defaultValue { return defaultValue }
      throw bad
    }
    let items = value.intArray ?? value.int.map { [$0, $0] }
    guard let items, items.count == 2, items.allSatisfy({ (allowZero ? $0 >= 0 : $0 > 0) && $0 <= Self.maximumWindow }) else {
      throw bad
    }
    return (items[0], items[1])
  }
}

/// A malformed graph (a one-line message naming the layer and attribute).
public struct GraphError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The message.
  public let description: String
  /// Makes an error.
  /// - Parameter description: a one-line message.
  public init(_ description: String) { self.description = description }
}
