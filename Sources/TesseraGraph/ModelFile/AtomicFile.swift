import Foundation

/// Writes files atomically: the bytes go to a temporary file in the destination directory,
/// which is then renamed over the destination, so readers never see a partial file.
public enum AtomicFile {
  /// Writes `bytes` to `path` atomically.
  /// - Parameters:
  ///   - bytes: the content.
  ///   - path: the destination.
  /// - Throws: ``SafeTensorsError/io(path:reason:)`` when the directory is missing or not writable.
  public static func write(_ bytes: [UInt8], to path: String) throws {
    let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    guard let file = fopen(temporary, "wb") else {
      throw SafeTensorsError.io(path: path, reason: "cannot write: \(String(cString: strerror(errno)))")
    }
    let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    let flushed = fflush(file) == 0 && fsync(fileno(file)) == 0
    fclose(file)
    guard written == bytes.count, flushed else {
      unlink(temporary)
      throw SafeTensorsError.io(path: path, reason: "write failed: \(String(cString: strerror(errno)))")
    }
    guard rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw SafeTensorsError.io(path: path, reason: "cannot rename into place: \(reason)")
    }
  }

  /// Checks, before any long work, that ``write(_:to:)-([UInt8],_)`` could create `path`: it is not a
  /// directory, and a temporary file can be created (then removed) beside it. This catches
  /// missing, read-only and special directories (`/proc`, `/sys`) even for root.
  /// - Parameter path: the destination.
  /// - Throws: ``SafeTensorsError/io(path:reason:)`` naming why the file cannot be written.
  public static func checkWritable(_ path: String) throws {
    var status = stat()
    if stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
      throw SafeTensorsError.io(path: path, reason: "is a directory; give a file name")
    }
    let probe = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    guard descriptor >= 0 else {
      throw SafeTensorsError.io(path: path, reason: "cannot write: \(String(cString: strerror(errno)))")
    }
    close(descriptor)
    unlink(probe)
  }

  /// Writes UTF-8 text to `path` atomically.
  /// - Parameters:
  ///   - text: the content.
  ///   - path: the destination.
  /// - Throws: ``SafeTensorsError/io(path:reason:)`` on failure.
  public static func write(_ text: String, to path: String) throws {
    try write(Array(text.utf8), to: path)
  }
}
