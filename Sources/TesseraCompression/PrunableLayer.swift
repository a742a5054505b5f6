import TesseraNN

/// Which layers of a model carry prunable weights, and how to reach them.
enum PrunableLayer {
  /// The weight of a Dense or Conv2D layer (nil for any other layer).
  static func weight(of layer: any Layer) -> Parameter? {
    if let dense = layer as? Dense { return dense.weight }
    if let conv = layer as? Conv2D { return conv.weight }
    return nil
  }

  /// The Dense and Conv2D layers of `model` that pruning touches, in order.
  /// - Parameters:
  ///   - model: the model.
  ///   - includeLastLayer: also the last weight layer (the classifier), left out by default.
  ///   - names: only these layers (nil = all); every name must be a Dense or Conv2D layer.
  /// - Throws: ``CompressionError/unsupportedLayer(_:)`` for a name that is not a weight layer of the model.
  static func selected(in model: Sequential, includeLastLayer: Bool, names: [String]? = nil) throws -> [any Layer] {
    let weighted = model.layers.filter { weight(of: $0) != nil }
    if let names {
      for name in names where !weighted.contains(where: { $0.name == name }) {
        let known = weighted.map(\.name).joined(separator: ", ")
        throw CompressionError.unsupportedLayer("layer '\(name)': not a Dense or Conv2D layer of model \(model.name) (weight layers: \(known))")
      }
      return weighted.filter { names.contains($0.name) }
    }
    return includeLastLayer ? weighted : Array(weighted.dropLast())
  }
}
