/// Limits on each request.
public struct RequestLimits: Sendable, Equatable {
  /// Largest body in bytes (413 beyond).
  public var maxBodyBytes: Int
  /// Most samples (or texts) in one request (400 beyond).
  public var maxSamplesPerRequest: Int
  /// Longest time a request may wait in its model's queue (504 beyond); nil for no limit.
  public var requestTimeout: Duration?

  /// Makes limits.
  /// - Parameters:
  ///   - maxBodyBytes: largest body in bytes.
  ///   - maxSamplesPerRequest: most samples per request.
  ///   - requestTimeout: longest queue wait.
  public init(maxBodyBytes: Int = 4 << 20, maxSamplesPerRequest: Int = 256, requestTimeout: Duration? = .seconds(5)) {
    self.maxBodyBytes = max(1, maxBodyBytes)
    self.maxSamplesPerRequest = max(1, maxSamplesPerRequest)
    self.requestTimeout = requestTimeout
  }
}
