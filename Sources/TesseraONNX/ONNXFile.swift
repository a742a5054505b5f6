#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// POSIX file access for the importer and exporter: whole-file and ranged reads with errno
/// messages, real paths, and atomic writes (temp file in the same folder, then rename).
enum ONNXFile {
  /// The folder part of `path` (`.` when there is none).
  static func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }

  /// The last path component of `path`.
  static func baseName(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    return String(path[path.index(after: slash)...])
  }

  /// The canonical absolute path with symlinks resolved, or nil when it does not exist.
  static func realPath(_ path: String) -> String? {
    guard let p = realpath(path, nil) else { return nil }
    defer { free(p) }
    return String(cString: p)
  }

  /// The message for the current `errno`.
  static func lastError() -> String { String(cString: strerror(errno)) }

  /// Opens a regular file for reading and returns its descriptor and size.
  /// - Throws: the reason as a string (missing, a directory, not a regular file).
  static func openRegular(_ path: String) throws(FileProblem) -> (fd: Int32, size: Int) {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw FileProblem(reason: lastError()) }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      let reason = lastError()
      close(fd)
      throw FileProblem(reason: reason)
    }
    let kind = info.st_mode & S_IFMT
    guard kind == S_IFREG else {
      close(fd)
      throw FileProblem(reason: kind == S_IFDIR ? "it is a directory" : "not a regular file")
    }
    return (fd, Int(info.st_size))
  }

  /// Reads `count` bytes at `offset` of an open file.
  /// - Throws: the reason when the read fails or ends early.
  static func read(_ fd: Int32, offset: Int, count: Int) throws(FileProblem) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    var done = 0
    while done < count {
      let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset + done)) }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { throw FileProblem(reason: n < 0 ? lastError() : "the file ended early") }
      done += n
    }
    return bytes
  }

  /// The whole content of a regular file of at most `maximumSize` bytes.
  /// - Throws: ``ONNXError/unreadableFile(path:reason:)``.
  static func contents(of path: String, maximumSize: Int) throws(ONNXError) -> [UInt8] {
    do throws(FileProblem) {
      let (fd, size) = try openRegular(path)
      defer { close(fd) }
      guard size <= maximumSize else {
        throw FileProblem(reason: "it is \(size) bytes, more than the \(maximumSize)-byte protobuf limit")
      }
      return try read(fd, offset: 0, count: size)
    } catch {
      throw .unreadableFile(path: path, reason: error.reason)
    }
  }

  /// Writes `bytes` to `path` atomically: a temp file beside it, flushed, then renamed over it.
  /// On failure the temp file is removed and the destination is left as it was.
  /// - Throws: ``ONNXError/writeFailed(path:reason:)``.
  static func writeAtomically(_ bytes: [UInt8], to path: String) throws(ONNXError) {
    let temp = directory(of: path) + "/." + baseName(of: path) + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    guard fd >= 0 else { throw .writeFailed(path: path, reason: lastError()) }
    var done = 0
    var failure: String?
    while done < bytes.count {
      let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, bytes.count - done) }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else {
        failure = lastError()
        break
      }
      done += n
    }
    if failure == nil && fsync(fd) != 0 { failure = lastError() }
    if close(fd) != 0 && failure == nil { failure = lastError() }
    if failure == nil && rename(temp, path) != 0 { failure = lastError() }
    if let failure {
      unlink(temp)
      throw .writeFailed(path: path, reason: failure)
    }
  }
}

/// Why a file operation failed (an errno message or a short description).
struct FileProblem: Error {
  /// The reason.
  var reason: String
}
