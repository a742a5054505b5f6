import Hummingbird
import Logging
import ServiceLifecycle

/// The whole service: loads the models, builds the router, and runs the HTTP server and the
/// batchers in one service group that shuts down gracefully on SIGTERM or SIGINT (the server stops
/// accepting, finishes its in-flight requests, then the batchers drain and stop).
public struct InferenceServer: Sendable {
  /// Address and port.
  public var host: String
  /// The port (0: any free port, logged at start).
  public var port: Int
  /// The models to load.
  public var specs: [ModelSpec]
  /// Batching for every model.
  public var batching: BatchingOptions
  /// Per-request limits.
  public var limits: RequestLimits
  /// Threads per engine call.
  public var engineThreads: Int

  /// Makes a server description.
  /// - Parameters:
  ///   - host: address to bind.
  ///   - port: port to bind.
  ///   - specs: models.
  ///   - batching: batching options.
  ///   - limits: request limits.
  ///   - engineThreads: threads per engine call.
  public init(
    host: String, port: Int, specs: [ModelSpec], batching: BatchingOptions, limits: RequestLimits, engineThreads: Int = 1
  ) {
    self.host = host
    self.port = port
    self.specs = specs
    self.batching = batching
    self.limits = limits
    self.engineThreads = engineThreads
  }

  /// Loads the models and serves until SIGTERM/SIGINT.
  /// - Parameter logger: the service's logger.
  /// - Throws: a model that does not load (before anything listens), or a server error.
  public func run(logger: Logger) async throws {
    let metrics = ServiceMetrics()
    var models: [ServedModel] = []
    for spec in specs {
      let model = try ServedModel(spec: spec, options: batching, metrics: metrics, threads: engineThreads)
      logger.info(
        "model loaded",
        metadata: [
          "model": "\(model.name)", "path": "\(model.path)", "kind": "\(model.kind.rawValue)",
          "precision": "\(model.precision)", "inputs": "\(model.inputCount)", "outputs": "\(model.outputCount)",
        ])
      models.append(model)
    }
    let handlers = HTTPHandlers(models: models, metrics: metrics, limits: limits)
    var app = Application(
      router: ServiceRouter.make(handlers),
      configuration: .init(address: .hostname(host, port: port), serverName: "inference-service"),
      onServerRunning: { channel in
        logger.info(
          "listening",
          metadata: [
            "address": "\(channel.localAddress?.description ?? "?")", "port": "\(channel.localAddress?.port ?? 0)",
            "max_batch": "\(batching.maxBatch)", "max_delay": "\(batching.maxDelay)", "max_queue": "\(batching.maxQueue)",
            "workers": "\(batching.workers)",
          ])
      },
      logger: logger
    )
    // Services shut down in reverse order: the server (added last by Hummingbird) first, then the batchers.
    app.addServices(BatcherService(models: models, logger: logger))
    try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    logger.info("stopped")
  }
}
