import Foundation

/// A strict, allocation-light reader of JSON text for the request bodies the service takes: objects,
/// arrays of numbers and strings. Numbers are converted with `strtof` straight from the bytes, so a
/// 784-float sample costs microseconds rather than a `JSONDecoder` pass.
///
/// Every error is a ``RequestError`` (400) whose message gives the byte offset and, through the
/// callers, the field.
struct JSONScanner {
  /// The body plus a terminating NUL, so `strtof` can never read past it.
  private var bytes: [UInt8]
  private(set) var offset = 0
  /// The body's length without the NUL.
  let count: Int

  init(_ body: some Collection<UInt8>) {
    bytes = Array(body)
    count = bytes.count
    bytes.append(0)
  }

  /// The byte at the cursor (0 at the end).
  var peek: UInt8 {
    skipWhitespaceRead()
  }

  private func skipWhitespaceRead() -> UInt8 {
    var i = offset
    while i < count, Self.isWhitespace(bytes[i]) { i += 1 }
    return bytes[i]
  }

  static func isWhitespace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }

  mutating func skipWhitespace() {
    while offset < count, Self.isWhitespace(bytes[offset]) { offset += 1 }
  }

  /// Consumes `byte` after whitespace or throws naming what was expected.
  mutating func expect(_ byte: UInt8, _ what: String) throws {
    skipWhitespace()
    guard offset < count, bytes[offset] == byte else { throw unexpected(what) }
    offset += 1
  }

  /// Consumes `byte` after whitespace if it is there.
  mutating func consume(_ byte: UInt8) -> Bool {
    skipWhitespace()
    if offset < count, bytes[offset] == byte {
      offset += 1
      return true
    }
    return false
  }

  /// Fails unless only whitespace remains.
  mutating func expectEnd() throws {
    skipWhitespace()
    guard offset == count else { throw RequestError.badRequest("body: unexpected data after the JSON value at byte \(offset)") }
  }

  /// An error for the current position.
  func unexpected(_ what: String) -> RequestError {
    if offset >= count { return RequestError.badRequest("body: the JSON text ends early (expected \(what))") }
    let found = bytes[offset]
    let shown = found >= 0x20 && found < 0x7F ? "'\(Character(UnicodeScalar(found)))'" : String(format: "byte 0x%02X", found)
    return RequestError.badRequest("body: expected \(what) at byte \(offset), found \(shown)")
  }

  /// Reads a JSON string (escapes decoded).
  mutating func string() throws -> String {
    try expect(UInt8(ascii: "\""), "a string")
    var scalars = String.UnicodeScalarView()
    var start = offset
    var plain = true
    var result = ""
    while true {
      guard offset < count else { throw unexpected("the end of a string") }
      let b = bytes[offset]
      if b == UInt8(ascii: "\"") { break }
      if b < 0x20 { throw RequestError.badRequest("body: control character in a string at byte \(offset)") }
      if b == UInt8(ascii: "\\") {
        if plain {
          result = try utf8(start, offset)
          plain = false
        } else {
          result += try utf8(start, offset)
        }
        offset += 1
        guard offset < count else { throw unexpected("an escape") }
        let e = bytes[offset]
        offset += 1
        switch e {
        case UInt8(ascii: "\""): result += "\""
        case UInt8(ascii: "\\"): result += "\\"
        case UInt8(ascii: "/"): result += "/"
        case UInt8(ascii: "b"): result += "\u{08}"
        case UInt8(ascii: "f"): result += "\u{0C}"
        case UInt8(ascii: "n"): result += "\n"
        case UInt8(ascii: "r"): result += "\r"
        case UInt8(ascii: "t"): result += "\t"
        case UInt8(ascii: "u"):
          var unit = try hex4()
          if (0xD800..<0xDC00).contains(unit), offset + 1 < count, bytes[offset] == UInt8(ascii: "\\"),
            bytes[offset + 1] == UInt8(ascii: "u")
          {
            offset += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw RequestError.badRequest("body: invalid surrogate pair at byte \(offset)") }
            unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
          }
          guard let scalar = UnicodeScalar(unit) else {
            throw RequestError.badRequest("body: invalid \\u escape at byte \(offset)")
          }
          scalars.removeAll()
          scalars.append(scalar)
          result += String(scalars)
        default:
          offset -= 1
          throw unexpected("an escape character")
        }
        start = offset
        continue
      }
      offset += 1
    }
    let tail = try utf8(start, offset)
    offset += 1
    return plain ? tail : result + tail
  }

  private func utf8(_ from: Int, _ to: Int) throws -> String {
    guard let s = String(validating: bytes[from..<to], as: UTF8.self) else {
      throw RequestError.badRequest("body: invalid UTF-8 in a string at byte \(from)")
    }
    return s
  }

  private mutating func hex4() throws -> UInt32 {
    var value: UInt32 = 0
    for _ in 0..<4 {
      guard offset < count, let digit = Self.hexValue(bytes[offset]) else { throw unexpected("4 hex digits") }
      value = value << 4 | digit
      offset += 1
    }
    return value
  }

  private static func hexValue(_ b: UInt8) -> UInt32? {
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(b - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(b - UInt8(ascii: "A") + 10)
    default: return nil
    }
  }

  /// Reads a JSON number as float32. `NaN`, `Infinity` and `-Infinity` (not JSON, but what some
  /// encoders write) are read too, so the caller can reject them by name.
  mutating func float() throws -> Float {
    skipWhitespace()
    let start = offset
    var i = offset
    if i < count, bytes[i] == UInt8(ascii: "-") { i += 1 }
    if let special = specialLiteral(at: i) {
      offset = i + special.length
      return start < i ? -special.value : special.value
    }
    let digitsStart = i
    while i < count, Self.isDigit(bytes[i]) { i += 1 }
    guard i > digitsStart else { throw unexpected("a number") }
    if bytes[digitsStart] == UInt8(ascii: "0"), i - digitsStart > 1 {
      throw RequestError.badRequest("body: number with a leading zero at byte \(start)")
    }
    if i < count, bytes[i] == UInt8(ascii: ".") {
      i += 1
      let fraction = i
      while i < count, Self.isDigit(bytes[i]) { i += 1 }
      guard i > fraction else { offset = i; throw unexpected("a digit after '.'") }
    }
    if i < count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
      i += 1
      if i < count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
      let exponent = i
      while i < count, Self.isDigit(bytes[i]) { i += 1 }
      guard i > exponent else { offset = i; throw unexpected("a digit in the exponent") }
    }
    // The next byte is not part of a number (or is the NUL), so strtof stops exactly at `i`.
    let value = bytes.withUnsafeBufferPointer { buffer -> Float in
      let pointer = UnsafeRawPointer(buffer.baseAddress! + start).assumingMemoryBound(to: CChar.self)
      return strtof(pointer, nil)
    }
    offset = i
    return value
  }

  private func specialLiteral(at i: Int) -> (value: Float, length: Int)? {
    guard i < count, bytes[i] == UInt8(ascii: "N") || bytes[i] == UInt8(ascii: "I") else { return nil }
    for (word, value) in [("NaN", Float.nan), ("Infinity", Float.infinity)] {
      let w = Array(word.utf8)
      if i + w.count <= count, Array(bytes[i..<(i + w.count)]) == w { return (value, w.count) }
    }
    return nil
  }

  private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

  /// Describes the JSON value at the cursor for error messages ("a string", "an object", …).
  var kindAtCursor: String {
    switch peek {
    case UInt8(ascii: "{"): return "an object"
    case UInt8(ascii: "["): return "an array"
    case UInt8(ascii: "\""): return "a string"
    case UInt8(ascii: "t"), UInt8(ascii: "f"): return "a boolean"
    case UInt8(ascii: "n"): return "null"
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "N"), UInt8(ascii: "I"): return "a number"
    default:
      var i = offset
      while i < count, Self.isWhitespace(bytes[i]) { i += 1 }
      return i >= count ? "nothing" : "invalid JSON at byte \(i)"
    }
  }
}
