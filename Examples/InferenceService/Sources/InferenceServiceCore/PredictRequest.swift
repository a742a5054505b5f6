/// A validated `:predict` request: whole samples of finite float32 values.
public struct PredictRequest: Sendable, Equatable {
  /// One array of ``sampleLength`` values per sample.
  public var samples: [[Float]]

  /// Decodes and validates a body.
  ///
  /// JSON bodies are `{"inputs": [[v, …], …]}` and nothing else; float32 bodies are little-endian
  /// values, `sampleLength` per sample, back to back.
  /// - Parameters:
  ///   - body: the request body.
  ///   - format: its format (from the `Content-Type`).
  ///   - sampleLength: values per sample the model takes.
  ///   - maxSamples: most samples in one request.
  /// - Throws: ``RequestError`` 400 whose message names the field (`inputs`, `inputs[i]`,
  ///   `inputs[i][j]` or `body`).
  public init(body: [UInt8], format: BodyFormat, sampleLength: Int, maxSamples: Int) throws {
    switch format {
    case .json: samples = try Self.decodeJSON(body, sampleLength: sampleLength, maxSamples: maxSamples)
    case .float32: samples = try Self.decodeFloat32(body, sampleLength: sampleLength, maxSamples: maxSamples)
    }
  }

  private static func decodeJSON(_ body: [UInt8], sampleLength: Int, maxSamples: Int) throws -> [[Float]] {
    guard !body.isEmpty else { throw RequestError.badRequest("body: empty; send {\"inputs\": [[…], …]}") }
    var scanner = JSONScanner(body)
    guard scanner.peek == UInt8(ascii: "{") else {
      throw RequestError.badRequest("body: expected a JSON object {\"inputs\": [[…], …]}, found \(scanner.kindAtCursor)")
    }
    try scanner.expect(UInt8(ascii: "{"), "'{'")
    var samples: [[Float]]?
    if !scanner.consume(UInt8(ascii: "}")) {
      repeat {
        let key = try scanner.string()
        try scanner.expect(UInt8(ascii: ":"), "':' after a key")
        guard key == "inputs" else { throw RequestError.badRequest("\(key): unknown field; the body has only \"inputs\"") }
        guard samples == nil else { throw RequestError.badRequest("inputs: given twice") }
        samples = try decodeInputs(&scanner, sampleLength: sampleLength, maxSamples: maxSamples)
      } while scanner.consume(UInt8(ascii: ","))
      try scanner.expect(UInt8(ascii: "}"), "',' or '}'")
    }
    try scanner.expectEnd()
    guard let samples else { throw RequestError.badRequest("inputs: missing; send {\"inputs\": [[…], …]}") }
    return samples
  }

  private static func decodeInputs(_ scanner: inout JSONScanner, sampleLength: Int, maxSamples: Int) throws -> [[Float]] {
    guard scanner.peek == UInt8(ascii: "[") else {
      throw RequestError.badRequest("inputs: expected an array of samples, found \(scanner.kindAtCursor)")
    }
    try scanner.expect(UInt8(ascii: "["), "'['")
    var samples: [[Float]] = []
    if scanner.consume(UInt8(ascii: "]")) { throw RequestError.badRequest("inputs: empty; send at least one sample") }
    repeat {
      let i = samples.count
      guard i < maxSamples else { throw RequestError.badRequest("inputs: more than \(maxSamples) samples in one request") }
      guard scanner.peek == UInt8(ascii: "[") else {
        throw RequestError.badRequest("inputs[\(i)]: expected an array of \(sampleLength) numbers, found \(scanner.kindAtCursor)")
      }
      try scanner.expect(UInt8(ascii: "["), "'['")
      var sample: [Float] = []
      sample.reserveCapacity(sampleLength)
      if !scanner.consume(UInt8(ascii: "]")) {
        repeat {
          let j = sample.count
          guard j < sampleLength else {
            throw RequestError.badRequest("inputs[\(i)]: more than \(sampleLength) values; the model takes \(sampleLength) per sample")
          }
          let kind = scanner.kindAtCursor
          guard kind == "a number" else { throw RequestError.badRequest("inputs[\(i)][\(j)]: expected a number, found \(kind)") }
          let value = try scanner.float()
          guard value.isFinite else {
            throw RequestError.badRequest("inputs[\(i)][\(j)]: \(value) is not a finite float32")
          }
          sample.append(value)
        } while scanner.consume(UInt8(ascii: ","))
        try scanner.expect(UInt8(ascii: "]"), "',' or ']' in inputs[\(i)]")
      }
      guard sample.count == sampleLength else {
        throw RequestError.badRequest("inputs[\(i)]: \(sample.count) values; the model takes \(sampleLength) per sample")
      }
      samples.append(sample)
    } while scanner.consume(UInt8(ascii: ","))
    try scanner.expect(UInt8(ascii: "]"), "',' or ']' in inputs")
    return samples
  }

  private static func decodeFloat32(_ body: [UInt8], sampleLength: Int, maxSamples: Int) throws -> [[Float]] {
    let sampleBytes = 4 * sampleLength
    guard !body.isEmpty else { throw RequestError.badRequest("body: empty; send \(sampleBytes) bytes (\(sampleLength) float32) per sample") }
    guard body.count % sampleBytes == 0 else {
      throw RequestError.badRequest(
        "body: \(body.count) bytes is not a whole number of samples of \(sampleLength) float32 (\(sampleBytes) bytes each)")
    }
    let count = body.count / sampleBytes
    guard count <= maxSamples else { throw RequestError.badRequest("body: \(count) samples; at most \(maxSamples) in one request") }
    var samples: [[Float]] = []
    samples.reserveCapacity(count)
    try body.withUnsafeBytes { raw in
      for i in 0..<count {
        var sample = [Float](repeating: 0, count: sampleLength)
        for j in 0..<sampleLength {
          let bits = raw.loadUnaligned(fromByteOffset: i * sampleBytes + 4 * j, as: UInt32.self)
          let value = Float(bitPattern: UInt32(littleEndian: bits))
          guard value.isFinite else { throw RequestError.badRequest("body: sample \(i) value \(j) is \(value), not a finite float32") }
          sample[j] = value
        }
        samples.append(sample)
      }
    }
    return samples
  }
}
