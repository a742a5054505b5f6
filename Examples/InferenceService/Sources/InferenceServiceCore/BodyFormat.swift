import Foundation

/// The body formats the service reads, from the request's `Content-Type`.
public enum BodyFormat: Sendable, Equatable {
  /// `application/json` (parameters such as `charset=utf-8` allowed).
  case json
  /// `application/octet-stream`: little-endian float32 values, whole samples.
  case float32

  /// The format for a `Content-Type` value.
  /// - Parameters:
  ///   - contentType: the header value (nil when absent).
  ///   - allowed: the formats the endpoint takes.
  /// - Throws: ``RequestError`` 415 naming the type and the allowed ones.
  public init(contentType: String?, allowed: [BodyFormat]) throws {
    let names = allowed.map(\.mediaType).joined(separator: " or ")
    guard let contentType else { throw RequestError(status: 415, "Content-Type: missing; send \(names)") }
    let media = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    guard let format = allowed.first(where: { $0.mediaType == media }) else {
      throw RequestError(status: 415, "Content-Type: '\(contentType)' is not supported here; send \(names)")
    }
    self = format
  }

  /// The media type's name.
  public var mediaType: String {
    switch self {
    case .json: return "application/json"
    case .float32: return "application/octet-stream"
    }
  }
}
