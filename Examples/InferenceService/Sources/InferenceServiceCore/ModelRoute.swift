import Foundation

/// The last path segment of `POST /v1/models/{name}:{action}`, split at its last `:`.
public struct ModelRoute: Sendable, Equatable {
  /// What the request asks for.
  public enum Action: String, Sendable {
    /// Classify samples.
    case predict
    /// Embed texts.
    case embed
  }

  /// The model's name (percent-decoded).
  public var model: String
  /// The action.
  public var action: Action

  /// Splits a segment such as `mlp:predict` (or `mlp%3Apredict`).
  /// - Parameter segment: the raw path segment.
  /// - Throws: ``RequestError`` 404 when there is no `:predict` or `:embed` suffix.
  public init(segment: String) throws {
    let decoded = segment.removingPercentEncoding ?? segment
    guard let colon = decoded.lastIndex(of: ":"), let action = Action(rawValue: String(decoded[decoded.index(after: colon)...]))
    else {
      throw RequestError(status: 404, "no such endpoint: POST /v1/models/\(decoded); use /v1/models/NAME:predict or NAME:embed")
    }
    model = String(decoded[..<colon])
    self.action = action
  }
}
