import TesseraNN

/// One input or output of an ``Engine``: its name, element type and shape, with symbolic
/// dimensions (`batch`, `sequence`) kept as names.
///
/// For example:
/// ```swift
/// let engine = try Engine(contentsOf: "Models/mlp-int8.safetensors")
/// print(engine.inputs[0])    // input: float32 [batch, 1, 28, 28]
/// engine.inputs[0].shape     // [.symbol("batch"), .fixed(1), .fixed(28), .fixed(28)]
/// ```
public struct TensorDescription: Sendable, Equatable, Hashable, CustomStringConvertible {
  /// The value's name in the model (the key of ``Engine/run(_:)-7or6v``'s dictionaries).
  public var name: String
  /// The element type a tensor for it must have.
  public var elementType: ElementType
  /// The dimensions: `.fixed(n)` for a known size, `.symbol(name)` for one chosen per call
  /// (inputs sharing a symbol must agree on its size). Nil when the rank is unknown (some
  /// outputs of imported models).
  public var shape: [Dimension]?

  /// Makes a description.
  /// - Parameters:
  ///   - name: the value's name.
  ///   - elementType: its element type.
  ///   - shape: its dimensions, or nil for an unknown rank.
  public init(name: String, elementType: ElementType, shape: [Dimension]?) {
    self.name = name
    self.elementType = elementType
    self.shape = shape
  }

  /// Describes a graph value.
  /// - Parameter value: a graph input or output.
  public init(_ value: ValueInfo) {
    self.init(name: value.name, elementType: value.type.elementType, shape: value.type.shape)
  }

  /// The names of the symbolic dimensions, in order of first appearance.
  public var symbols: [String] {
    var seen: [String] = []
    for case let .symbol(s) in shape ?? [] where !seen.contains(s) { seen.append(s) }
    return seen
  }

  /// `name: elementType [d0, d1, …]`, e.g. `input_ids: int64 [batch, sequence]`.
  public var description: String {
    let dims = shape.map { "[" + $0.map(\.description).joined(separator: ", ") + "]" } ?? "[?]"
    return "\(name): \(elementType) \(dims)"
  }
}
