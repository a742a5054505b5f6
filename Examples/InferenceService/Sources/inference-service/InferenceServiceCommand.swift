import ArgumentParser
import InferenceServiceCore
import Logging

/// `inference-service --port P --model NAME=PATH …`: serves Tessera models over HTTP with dynamic batching.
@main
struct InferenceServiceCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inference-service",
    abstract: "Serve Tessera models over HTTP, batching concurrent requests per model.",
    discussion: """
      Endpoints: POST /v1/models/NAME:predict (classifiers), POST /v1/models/NAME:embed (text embedders),
      GET /v1/models, GET /healthz, GET /metrics. The OpenAPI spec is openapi.yaml in this package.
      SIGTERM or SIGINT stops accepting connections, finishes in-flight requests and exits 0.
      """)

  @Option(help: "Address to listen on (loopback by default).")
  var host = "127.0.0.1"

  @Option(help: "Port to listen on (0: any free port, logged at start).")
  var port = 8080

  @Option(name: .customLong("model"), help: "NAME=PATH: a Tessera model file (a classifier) or a sentence-transformers folder (a text embedder). Repeat for more models.")
  var models: [String] = []

  @Option(help: "Most samples in one engine call (1 turns batching off).")
  var maxBatch = 32

  @Option(help: "Longest wait in microseconds for a batch to fill.")
  var maxDelayUs = 1000

  @Option(help: "Most samples waiting per model; beyond it requests get 503 with Retry-After.")
  var maxQueue = 1024

  @Option(help: "Threads per model that run batches.")
  var workers = 1

  @Option(help: "Threads per engine call.")
  var engineThreads = 1

  @Option(help: "Largest request body in bytes (413 beyond).")
  var maxBodyBytes = 4 << 20

  @Option(help: "Most samples or texts in one request (400 beyond).")
  var maxSamples = 256

  @Option(help: "Longest time in milliseconds a request may wait in the queue (504 beyond; 0: no limit).")
  var requestTimeoutMs = 5000

  @Option(help: "Log format: json (one object per line) or text.")
  var logFormat = "json"

  @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
  var logLevel = "info"

  func validate() throws {
    guard !models.isEmpty else { throw ValidationError("give at least one --model NAME=PATH") }
    guard port >= 0 && port < 65536 else { throw ValidationError("--port \(port): expected 0…65535") }
    guard maxBatch >= 1 else { throw ValidationError("--max-batch \(maxBatch): at least 1") }
    guard maxDelayUs >= 0 else { throw ValidationError("--max-delay-us \(maxDelayUs): at least 0") }
    guard maxQueue >= 1 else { throw ValidationError("--max-queue \(maxQueue): at least 1") }
    guard workers >= 1 else { throw ValidationError("--workers \(workers): at least 1") }
    guard engineThreads >= 1 else { throw ValidationError("--engine-threads \(engineThreads): at least 1") }
    guard maxBodyBytes >= 1 else { throw ValidationError("--max-body-bytes \(maxBodyBytes): at least 1") }
    guard maxSamples >= 1 && maxSamples <= maxQueue else {
      throw ValidationError("--max-samples \(maxSamples): expected 1…--max-queue (\(maxQueue))")
    }
    guard requestTimeoutMs >= 0 else { throw ValidationError("--request-timeout-ms \(requestTimeoutMs): at least 0") }
    guard ["json", "text"].contains(logFormat) else { throw ValidationError("--log-format \(logFormat): json or text") }
    guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level \(logLevel): unknown level") }
    for model in models {
      do { _ = try ModelSpec(parsing: model) } catch let error as RequestError { throw ValidationError(error.message) }
    }
  }

  func run() async throws {
    let level = Logger.Level(rawValue: logLevel) ?? .info
    let json = logFormat == "json"
    LoggingSystem.bootstrap { label in
      if json { return JSONLogHandler(label: label, level: level) }
      var handler = StreamLogHandler.standardError(label: label)
      handler.logLevel = level
      return handler
    }
    let logger = Logger(label: "inference-service")
    let server = InferenceServer(
      host: host, port: port, specs: try models.map(ModelSpec.init(parsing:)),
      batching: BatchingOptions(
        maxBatch: maxBatch, maxDelay: .microseconds(maxDelayUs), maxQueue: maxQueue, workers: workers),
      limits: RequestLimits(
        maxBodyBytes: maxBodyBytes, maxSamplesPerRequest: maxSamples,
        requestTimeout: requestTimeoutMs == 0 ? nil : .milliseconds(requestTimeoutMs)),
      engineThreads: engineThreads)
    do {
      try await server.run(logger: logger)
    } catch let error as RequestError {
      logger.critical("cannot start", metadata: ["error": "\(error.message)"])
      throw ExitCode(1)
    } catch {
      logger.critical("cannot start", metadata: ["error": "\(error)"])
      throw ExitCode(1)
    }
  }
}
