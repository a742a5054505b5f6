import Foundation
import Hummingbird
import Logging

/// The endpoints, as functions from a request to a response (``ServiceRouter`` wires them to paths).
public struct HTTPHandlers: Sendable {
  /// The models by name.
  public let models: [String: ServedModel]
  /// The metrics `GET /metrics` serves.
  public let metrics: ServiceMetrics
  /// Body size, request size and deadline limits.
  public let limits: RequestLimits

  /// Makes the handlers.
  /// - Parameters:
  ///   - models: the loaded models.
  ///   - metrics: the metrics registry.
  ///   - limits: request limits.
  public init(models: [ServedModel], metrics: ServiceMetrics, limits: RequestLimits) {
    self.models = Dictionary(models.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    self.metrics = metrics
    self.limits = limits
  }

  /// `GET /healthz`.
  public func health() -> Response {
    Self.json(.ok, "{\"status\":\"ok\",\"models\":\(models.count)}")
  }

  /// `GET /v1/models`.
  public func listModels() -> Response {
    let entries = models.values.sorted { $0.name < $1.name }.map { model -> String in
      let endpoint = model.kind == .classifier ? "predict" : "embed"
      var fields = [
        "\"name\":\(JSONText.string(model.name))", "\"kind\":\"\(model.kind.rawValue)\"",
        "\"endpoint\":\(JSONText.string("/v1/models/\(model.name):\(endpoint)"))",
        "\"precision\":\(JSONText.string(model.precision))", "\"outputs\":\(model.outputCount)",
        "\"max_batch\":\((model.classifierBatcher?.options ?? model.embedderBatcher?.options)?.maxBatch ?? 1)",
      ]
      if model.kind == .classifier { fields.insert("\"inputs\":\(model.inputCount)", at: 4) }
      return "{" + fields.joined(separator: ",") + "}"
    }
    return Self.json(.ok, "{\"models\":[" + entries.joined(separator: ",") + "]}")
  }

  /// `GET /metrics`.
  public func renderMetrics() -> Response {
    var buffer = ByteBuffer()
    buffer.writeBytes(metrics.render())
    return Response(
      status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: .init(byteBuffer: buffer))
  }

  /// `POST /v1/models/{name}:predict` and `:embed`, with `target` the last path segment.
  /// - Throws: ``RequestError``, ``BatcherError`` or an engine error (``ErrorMiddleware`` turns them into responses).
  public func post(target: String, request: Request) async throws -> Response {
    let route = try ModelRoute(segment: target)
    guard let model = models[route.model] else {
      throw RequestError(status: 404, "model '\(route.model)' is not loaded; GET /v1/models lists the models")
    }
    switch (route.action, model.kind) {
    case (.predict, .classifier): return try await predict(model, request)
    case (.embed, .embedder): return try await embed(model, request)
    case (.predict, .embedder):
      throw RequestError(status: 404, "model '\(model.name)' is a text embedder; use /v1/models/\(model.name):embed")
    case (.embed, .classifier):
      throw RequestError(status: 404, "model '\(model.name)' is a classifier; use /v1/models/\(model.name):predict")
    }
  }

  private func predict(_ model: ServedModel, _ request: Request) async throws -> Response {
    guard let batcher = model.classifierBatcher else { throw RequestError(status: 500, "model '\(model.name)' has no batcher") }
    let format = try BodyFormat(contentType: request.headers[.contentType], allowed: [.json, .float32])
    let body = try await readBody(request)
    let input = try PredictRequest(
      body: body, format: format, sampleLength: model.inputCount, maxSamples: limits.maxSamplesPerRequest)
    let outputs = try await batcher.submit(input.samples, timeout: limits.requestTimeout)
    var text = "{\"outputs\":["
    text.reserveCapacity(32 + outputs.count * (model.outputCount * 14 + 8))
    var top1: [Int] = []
    top1.reserveCapacity(outputs.count)
    for (index, logits) in outputs.enumerated() {
      if index > 0 { text += "," }
      try JSONText.array(logits, into: &text)
      top1.append(logits.indices.max { logits[$0] < logits[$1] } ?? 0)
    }
    text += "],\"top1\":[" + top1.map(String.init).joined(separator: ",") + "]}"
    return Self.json(.ok, text)
  }

  private func embed(_ model: ServedModel, _ request: Request) async throws -> Response {
    guard let batcher = model.embedderBatcher else { throw RequestError(status: 500, "model '\(model.name)' has no batcher") }
    _ = try BodyFormat(contentType: request.headers[.contentType], allowed: [.json])
    let body = try await readBody(request)
    let input = try EmbedRequest(body: body, maxTexts: limits.maxSamplesPerRequest)
    let ids = model.tokenize(input.texts) ?? []
    let embeddings = try await batcher.submit(ids, timeout: limits.requestTimeout)
    var text = "{\"embeddings\":["
    for (index, vector) in embeddings.enumerated() {
      if index > 0 { text += "," }
      try JSONText.array(vector, into: &text)
    }
    text += "]}"
    return Self.json(.ok, text)
  }

  /// Reads the body, refusing with 413 (before reading when `Content-Length` says so) past the limit.
  private func readBody(_ request: Request) async throws -> [UInt8] {
    let limit = limits.maxBodyBytes
    if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
      throw RequestError(status: 413, "body: \(length) bytes; the limit is \(limit) bytes")
    }
    var bytes: [UInt8] = []
    for try await buffer in request.body {
      guard bytes.count + buffer.readableBytes <= limit else {
        throw RequestError(status: 413, "body: more than \(limit) bytes; the limit is \(limit) bytes")
      }
      buffer.withUnsafeReadableBytes { bytes.append(contentsOf: $0) }
    }
    return bytes
  }

  /// A JSON response.
  static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
    var buffer = ByteBuffer()
    buffer.writeString(text)
    return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: buffer))
  }
}
