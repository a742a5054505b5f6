import Foundation
import TesseraGraph

/// Reads a small JSON configuration file into a ``GraphValue`` with errors naming the file.
enum JSONFile {
  /// The file's top-level object.
  /// - Parameter path: the file.
  /// - Throws: ``EmbeddingModelError`` when it is missing, not UTF-8 JSON, or not an object.
  static func object(at path: String) throws -> [String: GraphValue] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw EmbeddingModelError.missingFile(path: path, reason: "no such file or not readable")
    }
    guard !data.isEmpty else { throw EmbeddingModelError.invalidConfiguration(path: path, reason: "file is empty") }
    let value: GraphValue
    do { value = try JSONDecoder().decode(GraphValue.self, from: data) } catch {
      throw EmbeddingModelError.invalidConfiguration(path: path, reason: "not valid JSON")
    }
    guard let object = value.object else {
      throw EmbeddingModelError.invalidConfiguration(path: path, reason: "not a JSON object")
    }
    return object
  }

  /// A positive integer field.
  static func int(_ object: [String: GraphValue], _ key: String, path: String, default value: Int? = nil) throws -> Int {
    guard let field = object[key] else {
      if let value { return value }
      throw EmbeddingModelError.invalidConfiguration(path: path, reason: "missing field \"\(key)\"")
    }
    guard let number = field.int, number >= 1, number < 1_000_000_000 else {
      throw EmbeddingModelError.invalidConfiguration(path: path, reason: "\"\(key)\" must be a positive integer")
    }
    return number
  }
}
