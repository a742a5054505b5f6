import Foundation
import InferenceServiceCore
import Testing

private func predict(_ text: String, length: Int = 3, max: Int = 4) throws -> [[Float]] {
  try PredictRequest(body: Array(text.utf8), format: .json, sampleLength: length, maxSamples: max).samples
}

private func float32(_ values: [Float], length: Int = 3, max: Int = 4) throws -> [[Float]] {
  var bytes: [UInt8] = []
  for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
  return try PredictRequest(body: bytes, format: .float32, sampleLength: length, maxSamples: max).samples
}

/// Expects a 400 whose message starts with `field`.
private func expectBadRequest(
  field: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Any
) {
  do {
    _ = try body()
    Issue.record("expected a 400 naming \(field)", sourceLocation: sourceLocation)
  } catch let error as RequestError {
    #expect(error.status == 400, sourceLocation: sourceLocation)
    #expect(error.message.hasPrefix(field), "\(error.message)", sourceLocation: sourceLocation)
  } catch {
    Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
  }
}

@Suite("Request validation")
struct RequestValidationTests {
  @Test("valid JSON samples decode exactly, whitespace and exponents included")
  func validJSON() throws {
    #expect(try predict(#"{"inputs": [[0, 0.5, -1.25e2], [ 1E-3 ,2,3 ]]}"#) == [[0, 0.5, -125], [0.001, 2, 3]])
    #expect(try predict("\n{ \"inputs\" :[[1,2,3]] }\n") == [[1, 2, 3]])
    #expect(try predict(#"{"in\u0070uts": [[1,2,3]]}"#) == [[1, 2, 3]])
  }

  @Test("wrong sample length names the sample")
  func wrongLength() {
    expectBadRequest(field: "inputs[1]:") { try predict(#"{"inputs": [[1,2,3],[1,2]]}"#) }
    expectBadRequest(field: "inputs[0]:") { try predict(#"{"inputs": [[1,2,3,4]]}"#) }
    expectBadRequest(field: "inputs[0]:") { try predict(#"{"inputs": [[]]}"#) }
  }

  @Test("NaN and infinities name the value")
  func nonFinite() {
    expectBadRequest(field: "inputs[0][1]:") { try predict(#"{"inputs": [[1,NaN,3]]}"#) }
    expectBadRequest(field: "inputs[0][2]:") { try predict(#"{"inputs": [[1,2,-Infinity]]}"#) }
    expectBadRequest(field: "inputs[1][0]:") { try predict(#"{"inputs": [[1,2,3],[1e999,2,3]]}"#) }
  }

  @Test("missing, empty, wrongly typed or too many inputs name the field")
  func structure() {
    expectBadRequest(field: "inputs: missing") { try predict("{}") }
    expectBadRequest(field: "inputs: empty") { try predict(#"{"inputs": []}"#) }
    expectBadRequest(field: "inputs: expected an array") { try predict(#"{"inputs": "abc"}"#) }
    expectBadRequest(field: "inputs[0]: expected an array") { try predict(#"{"inputs": [1,2,3]}"#) }
    expectBadRequest(field: "inputs[0][1]: expected a number") { try predict(#"{"inputs": [[1,"2",3]]}"#) }
    expectBadRequest(field: "inputs[0][1]: expected a number") { try predict(#"{"inputs": [[1,null,3]]}"#) }
    expectBadRequest(field: "inputs: more than 2") { try predict(#"{"inputs": [[1,2,3],[1,2,3],[1,2,3]]}"#, max: 2) }
    expectBadRequest(field: "extra: unknown field") { try predict(#"{"inputs": [[1,2,3]], "extra": 1}"#) }
    expectBadRequest(field: "inputs: given twice") { try predict(#"{"inputs": [[1,2,3]], "inputs": [[1,2,3]]}"#) }
  }

  @Test("malformed JSON is a 400 on the body")
  func malformed() {
    for text in [
      #"{"inputs": [[1,2,3]"#, #"{"inputs": [[1,2,3]],}"#, "", "[]", "null", #"{"inputs": [[01,2,3]]}"#,
      #"{"inputs": [[1.,2,3]]}"#, #"{"inputs": [[1e,2,3]]}"#, #"{"inputs": [[1,2,3]]} x"#, #"{"inputs" [[1,2,3]]}"#,
      #"{"inp"#, "\u{FF}",
    ] {
      expectBadRequest(field: "") { try predict(text) }
    }
  }

  @Test("float32 bodies decode whole little-endian samples and refuse partial ones and NaN")
  func binary() throws {
    #expect(try float32([1, 2, 3, -4, 5.5, 6]) == [[1, 2, 3], [-4, 5.5, 6]])
    expectBadRequest(field: "body: 8 bytes") { try float32([1, 2]) }
    expectBadRequest(field: "body: empty") { try float32([]) }
    expectBadRequest(field: "body: sample 1 value 2") { try float32([1, 2, 3, 4, 5, .nan]) }
    expectBadRequest(field: "body: 5 samples") { try float32([Float](repeating: 0, count: 15)) }
    var odd = Array(repeating: UInt8(0), count: 13)
    odd[0] = 1
    expectBadRequest(field: "body: 13 bytes") {
      try PredictRequest(body: odd, format: .float32, sampleLength: 3, maxSamples: 4)
    }
  }

  @Test("Content-Type picks the format; others are 415")
  func contentType() throws {
    #expect(try BodyFormat(contentType: "application/json; charset=utf-8", allowed: [.json, .float32]) == .json)
    #expect(try BodyFormat(contentType: "Application/Octet-Stream", allowed: [.json, .float32]) == .float32)
    for type in [nil, "text/plain", "application/x-www-form-urlencoded"] as [String?] {
      #expect(throws: RequestError.self) { try BodyFormat(contentType: type, allowed: [.json, .float32]) }
      do { _ = try BodyFormat(contentType: type, allowed: [.json]) } catch let e as RequestError { #expect(e.status == 415) }
    }
    #expect(throws: RequestError.self) { try BodyFormat(contentType: "application/octet-stream", allowed: [.json]) }
  }

  @Test("embed bodies: texts in order, escapes decoded, errors name the field")
  func embed() throws {
    let texts = try EmbedRequest(body: Array(#"{"texts": ["a b", "caf\u00e9 \"q\"", ""]}"#.utf8), maxTexts: 4).texts
    #expect(texts == ["a b", "café \"q\"", ""])
    expectBadRequest(field: "texts: missing") { try EmbedRequest(body: Array("{}".utf8), maxTexts: 4) }
    expectBadRequest(field: "texts: empty") { try EmbedRequest(body: Array(#"{"texts": []}"#.utf8), maxTexts: 4) }
    expectBadRequest(field: "texts[1]: expected a string") { try EmbedRequest(body: Array(#"{"texts": ["a", 3]}"#.utf8), maxTexts: 4) }
    expectBadRequest(field: "texts: more than 1") { try EmbedRequest(body: Array(#"{"texts": ["a", "b"]}"#.utf8), maxTexts: 1) }
    expectBadRequest(field: "body:") { try EmbedRequest(body: Array(#"{"texts": ["a"#.utf8), maxTexts: 4) }
  }

  @Test("model routes split at the last colon; other suffixes are 404")
  func routes() throws {
    #expect(try ModelRoute(segment: "mlp:predict") == ModelRoute(segment: "mlp%3Apredict"))
    let route = try ModelRoute(segment: "a:b:embed")
    #expect(route.model == "a:b" && route.action == .embed)
    do { _ = try ModelRoute(segment: "mlp:classify") } catch let e as RequestError { #expect(e.status == 404) }
    #expect(throws: RequestError.self) { try ModelRoute(segment: "mlp") }
  }

  @Test("--model NAME=PATH parsing")
  func modelSpec() throws {
    let spec = try ModelSpec(parsing: "mlp=Models/mlp-int8.safetensors")
    #expect(spec.name == "mlp" && spec.path == "Models/mlp-int8.safetensors")
    #expect(try ModelSpec(parsing: "a=b=c").path == "b=c")
    for bad in ["mlp", "=x", "m/l=x", "mlp="] { #expect(throws: RequestError.self) { try ModelSpec(parsing: bad) } }
  }
}
