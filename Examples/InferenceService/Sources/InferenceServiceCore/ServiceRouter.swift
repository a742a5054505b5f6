import Hummingbird

/// The router: paths to ``HTTPHandlers``, behind ``ErrorMiddleware``.
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
    return router
  }
}
