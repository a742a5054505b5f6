import TesseraCompression
import TesseraNN

extension CodesignContext {
  /// The float model at one sparsity setting: `dense` is the model as loaded; any other setting is
  /// pruned (`Pruner`) and fine-tuned (`FineTuner`, seeded, so every shard builds the same
  /// model), magnitude and global pruning gradually (Zhu & Gupta) as `tessera compress` does.
  /// - Parameter report: receives progress lines (one per fine-tuning epoch).
  func variant(sparsity: String, report: (String) throws -> Void) throws -> Sequential {
    let method = try PruningMethod(parsing: sparsity)
    var model = try freshModel()
    if method == .dense { return model }
    var settings = FineTuning(seed: sweep.seed)
    if let epochs = sweep.fineTuneEpochs { settings.epochs = epochs }
    var masks: PruningMasks?
    if !(settings.gradual && settings.epochs > 0 && method.prunesGradually) {
      (model, masks) = try Pruner.prune(model, method: method)
    }
    var lines = [String]()
    try FineTuner.fineTune(model, method: method, masks: masks, train: train, test: test, settings: settings) {
      lines.append("fine-tuning \(sparsity): epoch \($0.epoch)/\(settings.epochs), float test top-1 \(String(format: "%.2f", 100 * $0.testAccuracy)) %")
    }
    for line in lines { try report(line) }
    return model
  }
}
