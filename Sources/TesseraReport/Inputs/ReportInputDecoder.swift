import Foundation

/// Decodes the commands' JSON outputs with errors that name the file and the problem.
public enum ReportInputDecoder {
  /// Decodes one JSON document.
  /// - Parameters:
  ///   - type: what the file should hold.
  ///   - data: the file's bytes.
  ///   - file: its name, for errors.
  ///   - expected: what the file should be, for errors (`tessera train --format json output`).
  /// - Returns: the value.
  /// - Throws: ``ReportError`` for empty, non-JSON or wrongly shaped content.
  public static func decode<T: Decodable>(_ type: T.Type, from data: Data, file: String, expected: String) throws -> T {
    guard !data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else {
      throw ReportError(file: file, problem: "empty file (expected \(expected))")
    }
    do {
      return try JSONDecoder().decode(T.self, from: data)
    } catch let error as DecodingError {
      throw ReportError(file: file, problem: "\(describe(error)) (expected \(expected))")
    } catch {
      throw ReportError(file: file, problem: "not JSON (expected \(expected))")
    }
  }

  /// Decodes a schedule file: one report object or an array of them (several `--hardware`).
  /// - Parameters:
  ///   - data: the file's bytes.
  ///   - file: its name, for errors.
  /// - Returns: the runs, at least one.
  /// - Throws: ``ReportError``.
  public static func schedules(from data: Data, file: String) throws -> [ScheduleRun] {
    let expected = "tessera schedule --format json output"
    let trimmed = data.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    if trimmed.first == UInt8(ascii: "[") {
      let runs = try decode([ScheduleRun].self, from: data, file: file, expected: expected)
      guard !runs.isEmpty else { throw ReportError(file: file, problem: "an empty array (expected \(expected))") }
      return runs
    }
    return [try decode(ScheduleRun.self, from: data, file: file, expected: expected)]
  }

  static func describe(_ error: DecodingError) -> String {
    func path(_ keys: [any CodingKey]) -> String {
      let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
      return text.hasPrefix(".") ? String(text.dropFirst()) : text
    }
    switch error {
    case .keyNotFound(let key, let context):
      let at = path(context.codingPath)
      return "missing field '\(key.stringValue)'\(at.isEmpty ? "" : " in \(at)")"
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
      return "wrong type at '\(path(context.codingPath))'"
    case .dataCorrupted(let context):
      return context.codingPath.isEmpty ? "not valid JSON" : "bad value at '\(path(context.codingPath))'"
    @unknown default:
      return "cannot decode"
    }
  }
}
