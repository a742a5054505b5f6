import TesseraNN

extension CodesignContext {
  /// The float model at one sparsity setting (`dense`: the model as loaded).
  /// - Parameter report: receives progress lines (pruning, fine-tuning epochs).
  func variant(sparsity: String, report: (String) throws -> Void) throws -> Sequential {
    guard sparsity == "dense" else {
      throw CodesignError.invalidGrid("sparsity '\(sparsity)' is not supported yet (only dense)")
    }
    return try freshModel()
  }
}
