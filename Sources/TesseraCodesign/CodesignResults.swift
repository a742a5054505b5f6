import Foundation
import TesseraGraph

/// Reading, appending, merging and rewriting co-design result files (JSON lines, one
/// ``CodesignPoint`` per line).
///
/// A sweep appends each point as soon as it is measured, so an interrupted run loses at most the
/// point in flight; a restarted run reads the file and skips the points already there. When the
/// sweep (or `codesign merge`) ends, the file is rewritten atomically (temp file + rename) in
/// canonical order with the Pareto flags recomputed over all its points.
public enum CodesignResults {
  /// The identity of a design point: model, weight bits, sparsity, hardware.
  public struct Key: Hashable, Sendable, Comparable {
    /// Model name.
    public var model: String
    /// Weight bits.
    public var weightBits: Int
    /// Sparsity setting.
    public var sparsity: String
    /// Hardware name.
    public var hardware: String

    /// Canonical order: model, sparsity, bits from wide to narrow, hardware.
    public static func < (a: Key, b: Key) -> Bool {
      (a.model, a.sparsity, -a.weightBits, a.hardware) < (b.model, b.sparsity, -b.weightBits, b.hardware)
    }
  }

  /// The key of a point.
  public static func key(of p: CodesignPoint) -> Key {
    Key(model: p.model, weightBits: p.weightBits, sparsity: p.sparsity, hardware: p.hardware)
  }

  /// One point as a JSON line (sorted keys, no trailing newline).
  public static func line(_ point: CodesignPoint) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(point), as: UTF8.self)
  }

  /// Reads a results file. A last line cut short (no newline, not valid JSON — a run killed
  /// mid-write) is dropped; any other bad line is an error.
  /// - Parameters:
  ///   - path: the file.
  ///   - missingIsEmpty: read a missing file as no points instead of failing.
  /// - Throws: ``CodesignError/invalidResults(path:line:reason:)`` naming the line.
  public static func read(_ path: String, missingIsEmpty: Bool = false) throws -> [CodesignPoint] {
    guard FileManager.default.fileExists(atPath: path) else {
      if missingIsEmpty { return [] }
      throw CodesignError.invalidResults(path: path, line: 0, reason: "no such file")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CodesignError.invalidResults(path: path, line: 0, reason: "cannot read the file")
    }
    let text = String(decoding: data, as: UTF8.self)
    let endsWithNewline = text.hasSuffix("\n")
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let decoder = JSONDecoder()
    var points = [CodesignPoint]()
    for (i, raw) in lines.enumerated() {
      let line = raw.trimmingCharacters(in: .whitespaces)
      if line.isEmpty { continue }
      do {
        let point = try decoder.decode(CodesignPoint.self, from: Data(line.utf8))
        guard point.top1.isFinite, point.energyPicojoules.isFinite, point.latencySeconds.isFinite,
          point.areaSquareMillimeters.isFinite, point.hostLatencyMicroseconds.isFinite
        else {
          throw CodesignError.invalidResults(path: path, line: i + 1, reason: "a number is NaN or infinite")
        }
        points.append(point)
      } catch let error as CodesignError {
        throw error
      } catch {
        if i == lines.count - 1 && !endsWithNewline { break }  // cut short by an interrupted write
        throw CodesignError.invalidResults(
          path: path, line: i + 1, reason: "not a codesign point (expected the JSON fields of `tessera codesign`)")
      }
    }
    return points
  }

  /// Appends one point as a line (one `write`, so concurrent readers never see half a line
  /// unless the process dies mid-call). A file whose last line was cut short is repaired first.
  /// - Throws: when the file cannot be opened or written.
  public static func append(_ point: CodesignPoint, to path: String) throws {
    let text = try line(point) + "\n"
    if !FileManager.default.fileExists(atPath: path) {
      guard FileManager.default.createFile(atPath: path, contents: nil) else {
        throw CodesignError.invalidResults(path: path, line: 0, reason: "cannot create the file")
      }
    }
    guard let handle = FileHandle(forUpdatingAtPath: path) else {
      throw CodesignError.invalidResults(path: path, line: 0, reason: "cannot open the file for writing")
    }
    defer { try? handle.close() }
    let end = try handle.seekToEnd()
    if end > 0 {
      try handle.seek(toOffset: end - 1)
      if let last = try handle.read(upToCount: 1), last != Data("\n".utf8) {
        // Drop the partial line left by an interrupted run.
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let keep = data.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        try handle.truncate(atOffset: UInt64(keep))
      }
      try handle.seekToEnd()
    }
    try handle.write(contentsOf: Data(text.utf8))
  }

  /// The points in canonical order with Pareto flags recomputed.
  public static func finalized(_ points: [CodesignPoint]) -> [CodesignPoint] {
    ParetoFrontier.marked(points).sorted { key(of: $0) < key(of: $1) }
  }

  /// Writes `points` (finalized) to `path` atomically: a temporary file in the same directory,
  /// then rename.
  /// - Throws: when the directory is not writable.
  public static func write(_ points: [CodesignPoint], to path: String) throws {
    let text = try finalized(points).map { try line($0) + "\n" }.joined()
    do {
      try AtomicFile.write(Array(text.utf8), to: path)
    } catch let SafeTensorsError.io(_, reason) {
      throw CodesignError.invalidResults(path: path, line: 0, reason: reason)
    }
  }

  /// Merges result files: every point once. The same point in two files must agree in its
  /// deterministic fields (everything but the measured host latency, where the first file wins).
  /// - Throws: ``CodesignError/conflictingPoints(_:)`` on disagreement, or what ``read(_:missingIsEmpty:)`` throws.
  public static func merge(_ paths: [String]) throws -> [CodesignPoint] {
    var byKey = [Key: (point: CodesignPoint, path: String)]()
    var order = [Key]()
    for path in paths {
      for point in try read(path) {
        let k = key(of: point)
        if let (seen, first) = byKey[k] {
          var a = seen, b = point
          a.hostLatencyMicroseconds = 0
          b.hostLatencyMicroseconds = 0
          a.pareto = false
          b.pareto = false
          guard a == b else {
            throw CodesignError.conflictingPoints(
              "\(first) and \(path) disagree about \(k.model) \(k.weightBits)-bit \(k.sparsity) on \(k.hardware)")
          }
        } else {
          byKey[k] = (point, path)
          order.append(k)
        }
      }
    }
    return finalized(order.map { byKey[$0]!.point })
  }
}
