#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension ONNXTensorReader {
  /// The bytes of a tensor stored outside the model (`data_location: EXTERNAL`, keys `location`,
  /// `offset`, `length`).
  ///
  /// The location must be a relative path whose real path (symlinks resolved) lies inside the
  /// model's folder, and `offset`/`length` must fit the file and hold exactly `byteCount` bytes.
  /// - Parameters:
  ///   - proto: the tensor.
  ///   - name: the tensor name for messages.
  ///   - byteCount: the size its shape and element type need.
  /// - Throws: ``ONNXError/invalidExternalData(tensor:path:reason:)`` naming the tensor and path.
  func externalBytes(of proto: Onnx_TensorProto, name: String, byteCount: Int) throws -> [UInt8] {
    var entries = [String: String]()
    for entry in proto.externalData { entries[entry.key] = entry.value }
    guard let location = entries["location"], !location.isEmpty else {
      throw ONNXError.invalidTensor(tensor: name, reason: "external data without a 'location' key")
    }
    func fail(_ reason: String) -> ONNXError { .invalidExternalData(tensor: name, path: location, reason: reason) }
    guard let directory else {
      throw fail("cannot be read: the model was given as bytes, without the folder it came from")
    }
    guard !location.hasPrefix("/") else {
      throw fail("is an absolute path; external data must be a relative path inside the model's folder")
    }
    guard let folder = ONNXFile.realPath(directory) else { throw fail("cannot be read: folder '\(directory)' does not exist") }
    guard let real = ONNXFile.realPath(folder + "/" + location) else {
      throw fail("does not exist in the model's folder '\(directory)'")
    }
    guard real.hasPrefix(folder == "/" ? "/" : folder + "/") else {
      throw fail("resolves to '\(real)', which is outside the model's folder '\(folder)'")
    }
    func number(_ key: String) throws -> Int? {
      guard let text = entries[key] else { return nil }
      guard let v = Int(text), v >= 0 else { throw fail("has an invalid \(key) '\(text)'") }
      return v
    }
    let offset = try number("offset") ?? 0
    let length = try number("length")
    let fd: Int32
    let size: Int
    do {
      (fd, size) = try ONNXFile.openRegular(real)
    } catch {
      throw fail("cannot be read (\(error.reason))")
    }
    defer { close(fd) }
    guard offset <= size else { throw fail("is \(size) bytes, shorter than the offset \(offset)") }
    let available = size - offset
    let count = length ?? available
    guard count <= available else {
      throw fail("is \(size) bytes, too short for offset \(offset) + length \(count)")
    }
    guard count == byteCount else {
      throw fail("holds \(count) bytes for the tensor, but its type and shape need \(byteCount)")
    }
    do {
      return try ONNXFile.read(fd, offset: offset, count: count)
    } catch {
      throw fail("cannot be read (\(error.reason))")
    }
  }
}
