import Foundation
import Logging

/// A swift-log handler that writes one JSON object per line to standard error:
/// `{"ts":"2026-12-01T19:00:00.123Z","level":"info","label":"inference-service","msg":"…","model":"mlp",…}`.
/// Metadata values become strings; lines are written whole under a lock.
public struct JSONLogHandler: LogHandler {
  /// The least severe level written.
  public var logLevel: Logger.Level
  /// Metadata attached to every line.
  public var metadata: Logger.Metadata = [:]
  private let label: String
  private static let lock = NSLock()

  /// Makes a handler.
  /// - Parameters:
  ///   - label: the logger's label.
  ///   - level: the least severe level written.
  public init(label: String, level: Logger.Level = .info) {
    self.label = label
    logLevel = level
  }

  /// Metadata by key.
  public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  /// Writes one line.
  public func log(event: LogEvent) {
    var fields: [(String, String)] = [
      ("ts", Self.timestamp()), ("level", event.level.rawValue), ("label", label), ("msg", "\(event.message)"),
    ]
    let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
    for key in merged.keys.sorted() { fields.append((key, "\(merged[key]!)")) }
    let line = "{" + fields.map { "\(JSONText.string($0.0)):\(JSONText.string($0.1))" }.joined(separator: ",") + "}\n"
    Self.lock.lock()
    FileHandle.standardError.write(Data(line.utf8))
    Self.lock.unlock()
  }

  private static func timestamp() -> String {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    var time = tm()
    var seconds = now.tv_sec
    gmtime_r(&seconds, &time)
    return String(
      format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", time.tm_year + 1900, time.tm_mon + 1, time.tm_mday, time.tm_hour,
      time.tm_min, time.tm_sec, now.tv_nsec / 1_000_000)
  }
}
