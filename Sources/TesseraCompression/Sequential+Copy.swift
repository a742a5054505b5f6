import TesseraNN

extension Sequential {
  /// An independent copy: same layers, attributes, parameter values and mode, sharing no layer
  /// objects with the original (so the copy can be pruned or trained while the original stays).
  ///
  /// For example:
  /// ```swift
  /// let trial = try model.copy()
  /// _ = try Pruner.prune(trial, method: .magnitude(sparsity: 0.8))   // model is unchanged
  /// ```
  /// - Throws: ``CompressionError/unsupportedLayer(_:)`` for a layer kind TesseraNN cannot build
  ///   from its graph description (layers made by a custom `LayerFactory`).
  public func copy() throws -> Sequential { try LayerResizing.clone(self) }
}
