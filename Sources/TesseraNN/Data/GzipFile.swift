import CZlib
import Foundation

/// Reads a whole file through zlib, which decompresses gzip transparently and passes other
/// files through unchanged.
enum GzipFile {
  /// Largest decompressed size read (2 GiB): data sets live in memory, and an endless device
  /// or a gzip bomb must end in an error, not in an allocation failure.
  static let maximumBytes = 1 << 31

  /// The decompressed bytes of `path`.
  /// - Parameters:
  ///   - path: the file.
  ///   - limit: largest decompressed size accepted.
  /// - Throws: ``DatasetError/cannotOpen(path:reason:)`` (missing, a directory or a device),
  ///   ``DatasetError/compression(path:offset:reason:)`` for a corrupt or truncated stream (with
  ///   the decompressed byte count reached), ``DatasetError/mismatch(path:reason:)`` above `limit`.
  static func read(_ path: String, limit: Int = maximumBytes) throws -> [UInt8] {
    var status = stat()
    if stat(path, &status) == 0 {
      switch status.st_mode & S_IFMT {
      case S_IFDIR: throw DatasetError.cannotOpen(path: path, reason: "is a directory, not a data file")
      case S_IFCHR, S_IFBLK: throw DatasetError.cannotOpen(path: path, reason: "is a device, not a data file")
      default: break
      }
    }
    guard FileManager.default.isReadableFile(atPath: path) else {
      throw DatasetError.cannotOpen(path: path, reason: FileManager.default.fileExists(atPath: path) ? "not readable" : "no such file")
    }
    guard let file = gzopen(path, "rb") else {
      throw DatasetError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
    }
    defer { gzclose(file) }
    gzbuffer(file, 1 << 17)
    var bytes = [UInt8]()
    let chunk = 1 << 18
    while true {
      let start = bytes.count
      bytes.append(contentsOf: repeatElement(0, count: chunk))
      let n = bytes.withUnsafeMutableBytes { buffer in
        gzread(file, buffer.baseAddress! + start, UInt32(chunk))
      }
      var code: Int32 = 0
      var message = gzerror(file, &code).map { String(cString: $0) } ?? "unknown error"
      if message.hasPrefix(path + ": ") { message.removeFirst(path.count + 2) }
      if n < 0 || (code != Z_OK && code != Z_STREAM_END) {
        bytes.removeSubrange(start...)
        let reason = code == Z_BUF_ERROR ? "truncated (\(message))" : message
        throw DatasetError.compression(path: path, offset: bytes.count, reason: reason)
      }
      bytes.removeSubrange((start + Int(n))...)
      if n == 0 { break }
      if bytes.count > limit {
        throw DatasetError.mismatch(path: path, reason: "more than \(limit) bytes (decompressed); data sets are loaded into memory")
      }
    }
    return bytes
  }
}
