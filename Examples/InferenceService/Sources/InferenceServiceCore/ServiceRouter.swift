import Hummingbird

/// The router: paths to ``HTTPHandlers``, behind ``ErrorMiddleware``. Other methods on a known path
/// get 405 with an `Allow` header.
public enum ServiceRouter {
  /// Builds the router.
  /// - Parameter handlers: the endpoints.
  /// - Returns: a router for `Application(router:)`.
  public static func make(_ handlers: HTTPHandlers) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: ErrorMiddleware(metrics: handlers.metrics, knownModels: Set(handlers.models.keys)))
    router.get("/healthz") { _, _ in handlers.health() }
    router.get("/metrics") { _, _ in handlers.renderMetrics() }
    router.get("/v1/models") { _, _ in handlers.listModels() }
    router.post("/v1/models/:target") { request, context in
      try await handlers.post(target: try context.parameters.require("target"), request: request)
    }
    for path in ["/healthz", "/metrics", "/v1/models"] { refuseOtherMethods(router, path, allowed: .get) }
    refuseOtherMethods(router, "/v1/models/:target", allowed: .post)
    return router
  }

  private static func refuseOtherMethods(_ router: Router<BasicRequestContext>, _ path: String, allowed: HTTPRequest.Method) {
    for method in [HTTPRequest.Method.get, .post, .put, .delete, .patch, .options] where method != allowed {
      router.on(RouterPath(path), method: method) { _, _ -> Response in
        var response = HTTPHandlers.json(
          .methodNotAllowed, JSONText.error("method \(method.rawValue) is not allowed here; use \(allowed.rawValue)"))
        response.headers[.allow] = allowed.rawValue
        return response
      }
    }
  }
}
