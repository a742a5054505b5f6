import Foundation

/// Reads a tokenizer file as UTF-8 text, with the checks every loader needs.
enum TokenizerFile {
  /// The file's text.
  /// - Throws: ``TokenizerError/cannotOpen(path:reason:)``, ``TokenizerError/emptyFile(path:)``
  ///   (no content or only whitespace), ``TokenizerError/invalidUTF8(path:offset:)``.
  static func text(at url: URL) throws -> String {
    let path = url.path
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      let reason = FileManager.default.fileExists(atPath: path) ? error.localizedDescription : "no such file"
      throw TokenizerError.cannotOpen(path: path, reason: reason)
    }
    guard let text = String(validating: data, as: UTF8.self) else {
      throw TokenizerError.invalidUTF8(path: path, offset: firstInvalidUTF8Offset(data))
    }
    if text.unicodeScalars.allSatisfy(\.properties.isWhitespace) { throw TokenizerError.emptyFile(path: path) }
    return text
  }
}
