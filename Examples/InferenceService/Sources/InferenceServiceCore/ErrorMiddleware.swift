import Hummingbird
import Logging

/// Turns every error into a `{"error": "message"}` response with the right status, and counts and
/// times every request for the metrics.
///
/// Statuses: ``RequestError`` carries its own (400, 404, 413, 415); ``BatcherError/queueFull(limit:)``
/// and ``BatcherError/shuttingDown`` are 503 with `Retry-After: 1`;
/// ``BatcherError/deadlineExpired(milliseconds:)`` is 504; Hummingbird's own errors keep their status
/// (404 for an unknown path, 405); anything else is 500.
public struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
  /// Where requests are counted.
  public let metrics: ServiceMetrics
  /// The loaded models' names: other names are counted under the model label `""`, so a client
  /// cannot grow the metric set without bound.
  public let knownModels: Set<String>

  /// Makes the middleware.
  /// - Parameters:
  ///   - metrics: the registry requests are counted in.
  ///   - knownModels: the loaded models' names.
  public init(metrics: ServiceMetrics, knownModels: Set<String>) {
    self.metrics = metrics
    self.knownModels = knownModels
  }

  /// Runs the rest of the chain, converting errors and recording the request.
  public func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    let start = ContinuousClock.now
    let (model, endpoint) = Self.labels(request.uri.path, knownModels: knownModels)
    let response: Response
    do {
      response = try await next(request, context)
    } catch {
      response = Self.response(for: error, logger: context.logger)
    }
    metrics.recordRequest(
      model: model, endpoint: endpoint, status: Int(response.status.code), duration: ContinuousClock.now - start)
    return response
  }

  /// The `{"error": …}` response for an error.
  static func response(for error: any Error, logger: Logger) -> Response {
    switch error {
    case let error as RequestError:
      let code = (400...599).contains(error.status) ? error.status : 500
      if code >= 500 { logger.error("request failed", metadata: ["error": "\(error.message)"]) }
      return HTTPHandlers.json(HTTPResponse.Status(code: code), JSONText.error(error.message))
    case let error as BatcherError:
      switch error {
      case .queueFull, .shuttingDown:
        var response = HTTPHandlers.json(.serviceUnavailable, JSONText.error(error.description))
        response.headers[.retryAfter] = "1"
        return response
      case .deadlineExpired:
        return HTTPHandlers.json(.gatewayTimeout, JSONText.error(error.description))
      case .outputCount:
        logger.error("batch failed", metadata: ["error": "\(error)"])
        return HTTPHandlers.json(.internalServerError, JSONText.error(error.description))
      }
    case let error as HTTPError:
      let message = error.body ?? (error.status == .notFound ? "no such endpoint" : error.status.reasonPhrase)
      var response = HTTPHandlers.json(error.status, JSONText.error(message))
      for field in error.headers where field.name != .contentType && field.name != .contentLength {
        response.headers.append(field)
      }
      return response
    default:
      logger.error("request failed", metadata: ["error": "\(error)"])
      return HTTPHandlers.json(.internalServerError, JSONText.error("internal error: \(error)"))
    }
  }

  /// The `model` and `endpoint` labels for a path.
  static func labels(_ path: String, knownModels: Set<String>) -> (model: String, endpoint: String) {
    switch path {
    case "/healthz": return ("", "healthz")
    case "/metrics": return ("", "metrics")
    case "/v1/models": return ("", "models")
    default:
      let prefix = "/v1/models/"
      if path.hasPrefix(prefix), let route = try? ModelRoute(segment: String(path.dropFirst(prefix.count))) {
        return (knownModels.contains(route.model) ? route.model : "", route.action.rawValue)
      }
      return ("", "other")
    }
  }
}
