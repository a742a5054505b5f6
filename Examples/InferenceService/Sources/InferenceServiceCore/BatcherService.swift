import Logging
import ServiceLifecycle

/// Runs the models' batchers for as long as the service runs: starts them, waits for graceful
/// shutdown, then finishes every queued request before returning. Listed before the HTTP server in
/// the service group, it is shut down after the server has finished its in-flight requests.
public struct BatcherService: Service {
  /// The models whose batchers run.
  public let models: [ServedModel]
  /// Where start and stop are logged.
  public let logger: Logger

  /// Makes the service.
  /// - Parameters:
  ///   - models: the loaded models.
  ///   - logger: the logger.
  public init(models: [ServedModel], logger: Logger) {
    self.models = models
    self.logger = logger
  }

  /// Starts the batchers and keeps them running until graceful shutdown (or cancellation).
  public func run() async throws {
    for model in models { model.start() }
    logger.info("batchers started", metadata: ["models": "\(models.map(\.name))"])
    try? await gracefulShutdown()
    logger.info("draining batchers")
    for model in models { await model.shutdown() }
    logger.info("batchers stopped")
  }
}
