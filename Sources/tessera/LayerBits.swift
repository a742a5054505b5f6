import ArgumentParser
import Foundation

/// `--layer-bits fc1=4,fc2=6`: per-layer weight bit widths for `tessera quantize`.
///
/// Parsing checks the form and the range 2...8; whether each name is a dense/conv layer of the
/// model is checked once the model is loaded (``QuantizationRecipe/checkLayerWeightBits(layers:)``).
enum LayerBits {
  /// Parses `name=bits[,name=bits…]`.
  /// - Throws: `ValidationError` (exit 1, one line) naming the bad item.
  static func parse(_ argument: String) throws -> [String: Int] {
    var bits = [String: Int]()
    for item in argument.split(separator: ",", omittingEmptySubsequences: false) {
      let parts = item.split(separator: "=", omittingEmptySubsequences: false)
      let name = parts.first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
      guard parts.count == 2, !name.isEmpty, let b = Int(parts[1].trimmingCharacters(in: .whitespaces)) else {
        throw ValidationError("--layer-bits: '\(item)' is not name=bits (e.g. fc1=4,fc2=6)")
      }
      guard (2...8).contains(b) else { throw ValidationError("--layer-bits: layer '\(name)' has \(b) bits; weights take 2...8") }
      guard bits[name] == nil else { throw ValidationError("--layer-bits: layer '\(name)' is given twice") }
      bits[name] = b
    }
    return bits
  }
}
