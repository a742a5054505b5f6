import Foundation

/// Why a sentence-embedding model could not be loaded or run; every message names the file or
/// value at fault.
public enum EmbeddingModelError: Error, Equatable, CustomStringConvertible, LocalizedError {
  /// A file the model needs is missing or unreadable.
  case missingFile(path: String, reason: String)
  /// A configuration file is not valid JSON or lacks a field.
  case invalidConfiguration(path: String, reason: String)
  /// The model is of a kind Tessera does not build (e.g. not BERT, a pooling mode other than mean/CLS/max).
  case unsupported(String)
  /// A weight is missing or its shape disagrees with the configuration.
  case weightMismatch(name: String, reason: String)
  /// The texts or token ids passed in do not fit the model.
  case invalidInput(String)

  /// The message shown to users.
  public var description: String {
    switch self {
    case let .missingFile(path, reason): "\(path): \(reason)"
    case let .invalidConfiguration(path, reason): "\(path): \(reason)"
    case let .unsupported(reason): "unsupported model: \(reason)"
    case let .weightMismatch(name, reason): "weight \(name): \(reason)"
    case let .invalidInput(reason): "invalid input: \(reason)"
    }
  }

  /// Same as ``description``.
  public var errorDescription: String? { description }
}
