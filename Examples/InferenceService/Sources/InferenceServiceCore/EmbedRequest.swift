/// A validated `:embed` request.
public struct EmbedRequest: Sendable, Equatable {
  /// The texts, in order.
  public var texts: [String]

  /// Decodes and validates a `{"texts": ["…", …]}` body.
  /// - Parameters:
  ///   - body: the request body (JSON).
  ///   - maxTexts: most texts in one request.
  /// - Throws: ``RequestError`` 400 naming the field (`texts`, `texts[i]` or `body`).
  public init(body: [UInt8], maxTexts: Int) throws {
    guard !body.isEmpty else { throw RequestError.badRequest("body: empty; send {\"texts\": [\"…\", …]}") }
    var scanner = JSONScanner(body)
    guard scanner.peek == UInt8(ascii: "{") else {
      throw RequestError.badRequest("body: expected a JSON object {\"texts\": [\"…\", …]}, found \(scanner.kindAtCursor)")
    }
    try scanner.expect(UInt8(ascii: "{"), "'{'")
    var texts: [String]?
    if !scanner.consume(UInt8(ascii: "}")) {
      repeat {
        let key = try scanner.string()
        try scanner.expect(UInt8(ascii: ":"), "':' after a key")
        guard key == "texts" else { throw RequestError.badRequest("\(key): unknown field; the body has only \"texts\"") }
        guard texts == nil else { throw RequestError.badRequest("texts: given twice") }
        texts = try Self.decodeTexts(&scanner, maxTexts: maxTexts)
      } while scanner.consume(UInt8(ascii: ","))
      try scanner.expect(UInt8(ascii: "}"), "',' or '}'")
    }
    try scanner.expectEnd()
    guard let texts else { throw RequestError.badRequest("texts: missing; send {\"texts\": [\"…\", …]}") }
    self.texts = texts
  }

  private static func decodeTexts(_ scanner: inout JSONScanner, maxTexts: Int) throws -> [String] {
    guard scanner.peek == UInt8(ascii: "[") else {
      throw RequestError.badRequest("texts: expected an array of strings, found \(scanner.kindAtCursor)")
    }
    try scanner.expect(UInt8(ascii: "["), "'['")
    if scanner.consume(UInt8(ascii: "]")) { throw RequestError.badRequest("texts: empty; send at least one text") }
    var texts: [String] = []
    repeat {
      guard texts.count < maxTexts else { throw RequestError.badRequest("texts: more than \(maxTexts) texts in one request") }
      let kind = scanner.kindAtCursor
      guard kind == "a string" else { throw RequestError.badRequest("texts[\(texts.count)]: expected a string, found \(kind)") }
      texts.append(try scanner.string())
    } while scanner.consume(UInt8(ascii: ","))
    try scanner.expect(UInt8(ascii: "]"), "',' or ']' in texts")
    return texts
  }
}
