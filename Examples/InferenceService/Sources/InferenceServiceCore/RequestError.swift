/// A request the service refuses, with the HTTP status and a message naming the field at fault.
public struct RequestError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The HTTP status code (400, 404, 405, 413, 415, …).
  public var status: Int
  /// The message for the `{"error": …}` body.
  public var message: String

  /// Makes an error.
  /// - Parameters:
  ///   - status: the HTTP status code.
  ///   - message: what is wrong, naming the field.
  public init(status: Int, _ message: String) {
    self.status = status
    self.message = message
  }

  /// 400 Bad Request.
  public static func badRequest(_ message: String) -> RequestError { RequestError(status: 400, message) }

  /// The status and message.
  public var description: String { "\(status): \(message)" }
}
