import Foundation

/// One `--model NAME=PATH` argument.
public struct ModelSpec: Sendable, Equatable {
  /// The name in the URL (`/v1/models/NAME:predict`).
  public var name: String
  /// A Tessera model file (`.safetensors`, a classifier) or a sentence-transformers folder (a text embedder).
  public var path: String

  /// Parses `NAME=PATH`.
  /// - Parameter argument: the argument.
  /// - Throws: ``RequestError`` (status 0: a usage error) when there is no `=`, the name is empty or
  ///   has characters other than letters, digits, `.`, `_` and `-`, or the path is empty.
  public init(parsing argument: String) throws {
    guard let equals = argument.firstIndex(of: "=") else {
      throw RequestError(status: 0, "--model \(argument): expected NAME=PATH")
    }
    name = String(argument[..<equals])
    path = String(argument[argument.index(after: equals)...])
    guard !name.isEmpty, name.unicodeScalars.allSatisfy(Self.isNameCharacter) else {
      throw RequestError(status: 0, "--model \(argument): the name must be letters, digits, '.', '_' or '-'")
    }
    guard !path.isEmpty else { throw RequestError(status: 0, "--model \(argument): empty path") }
  }

  private static func isNameCharacter(_ c: Unicode.Scalar) -> Bool {
    c.isASCII && (CharacterSet.alphanumerics.contains(c) || c == "." || c == "_" || c == "-")
  }
}
