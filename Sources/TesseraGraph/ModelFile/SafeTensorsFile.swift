import Foundation
import Tessera

/// A `.safetensors` file: named tensors plus a string→string `__metadata__` map.
///
/// Layout (https://huggingface.co/docs/safetensors): an 8-byte little-endian header length
/// `N`, `N` bytes of JSON (`{"__metadata__": {...}, "<name>": {"dtype": "F32", "shape": [...],
/// "data_offsets": [begin, end]}, ...}`), then the data section; offsets are relative to the data
/// section. Tessera pads the header with spaces to a multiple of 8 bytes and writes tensors back
/// to back in insertion order. Reading rejects anything the format forbids: lengths past the end,
/// non-JSON headers, unknown dtypes, offsets that do not match the shape, overlap, holes.
///
/// For example:
/// ```swift
/// var file = SafeTensorsFile(metadata: ["format": "pt"])
/// file["fc.weight"] = .float32(weights)
/// try file.write(to: "model.safetensors")
/// let back = try SafeTensorsFile(contentsOf: "model.safetensors")
/// ```
public struct SafeTensorsFile: Sendable, Equatable {
  /// The `__metadata__` map.
  public var metadata: [String: String]
  /// Tensor names in file order.
  public private(set) var names: [String] = []
  private var tensors: [String: StoredTensor] = [:]
  /// Tensors whose dtype has no ``StoredTensor`` case (I64, F64, BOOL: graph-IR initializers).
  private var otherTensors: [String: GraphTensor] = [:]

  /// Largest header accepted when reading (as the reference implementation: 100 MB).
  public static let maximumHeaderBytes = 100_000_000

  /// Makes an empty file.
  /// - Parameter metadata: the `__metadata__` map.
  public init(metadata: [String: String] = [:]) { self.metadata = metadata }

  /// The tensor called `name`; setting a new name appends it, setting nil removes it.
  public subscript(name: String) -> StoredTensor? {
    get { tensors[name] }
    set {
      if newValue != nil, tensors[name] == nil, otherTensors[name] == nil { names.append(name) }
      if newValue == nil, otherTensors[name] == nil { names.removeAll { $0 == name } }
      tensors[name] = newValue
    }
  }

  /// The tensor called `name` in any dtype the graph IR knows (F32, F64, I8, U8, I32, I64, BOOL);
  /// setting a new name appends it, setting nil removes it.
  public subscript(graphTensor name: String) -> GraphTensor? {
    get { tensors[name].map(GraphTensor.init) ?? otherTensors[name] }
    set {
      let existed = tensors[name] != nil || otherTensors[name] != nil
      tensors[name] = nil
      otherTensors[name] = nil
      if let value = newValue {
        if let stored = try? StoredTensor(value) { tensors[name] = stored } else { otherTensors[name] = value }
        if !existed { names.append(name) }
      } else if existed {
        names.removeAll { $0 == name }
      }
    }
  }

  /// Bytes of the tensor called `name` (any dtype), or nil.
  /// - Parameter name: the tensor name.
  public func byteCount(of name: String) -> Int? { tensors[name]?.byteCount ?? otherTensors[name]?.byteCount }

  /// Reads and validates a file.
  /// - Parameter path: the `.safetensors` file.
  /// - Throws: ``SafeTensorsError`` naming the file and the problem.
  public init(contentsOf path: String) throws {
    var isDirectory: ObjCBool = false
    let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
    guard exists, !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
      throw SafeTensorsError.io(
        path: path, reason: !exists ? "no such file" : isDirectory.boolValue ? "is a directory, not a model file" : "cannot read file")
    }
    try self.init(bytes: [UInt8](data), source: path)
  }

  /// Parses and validates the bytes of a file.
  /// - Parameters:
  ///   - bytes: the whole file.
  ///   - source: a name for messages.
  /// - Throws: ``SafeTensorsError`` naming the problem.
  public init(bytes: [UInt8], source: String) throws {
    guard bytes.count >= 8 else {
      throw SafeTensorsError.header(path: source, reason: "file has \(bytes.count) bytes, fewer than the 8-byte length")
    }
    let length = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    guard length <= UInt64(bytes.count - 8) else {
      throw SafeTensorsError.header(path: source, reason: "header length \(length) exceeds the \(bytes.count - 8) bytes after it")
    }
    guard length <= UInt64(Self.maximumHeaderBytes) else {
      throw SafeTensorsError.header(path: source, reason: "header length \(length) exceeds the \(Self.maximumHeaderBytes)-byte limit")
    }
    let headerEnd = 8 + Int(length)
    guard length > 0, bytes[8] == UInt8(ascii: "{") else {
      throw SafeTensorsError.header(path: source, reason: "header does not start with '{'")
    }
    let json: GraphValue
    do {
      json = try JSONDecoder().decode(GraphValue.self, from: Data(bytes[8..<headerEnd]))
    } catch {
      throw SafeTensorsError.header(path: source, reason: "header is not valid JSON")
    }
    guard let entries = json.object else {
      throw SafeTensorsError.header(path: source, reason: "header is not a JSON object")
    }
    metadata = [:]
    if let meta = entries["__metadata__"] {
      guard let object = meta.object else {
        throw SafeTensorsError.header(path: source, reason: "__metadata__ is not an object of strings")
      }
      for (key, value) in object {
        guard let text = value.string else {
          throw SafeTensorsError.header(path: source, reason: "__metadata__['\(key)'] is not a string")
        }
        metadata[key] = text
      }
    }
    let dataSize = bytes.count - headerEnd
    var spans: [(begin: Int, end: Int, name: String, dtype: ElementType, shape: [Int])] = []
    for (name, entry) in entries where name != "__metadata__" {
      spans.append(try Self.parseEntry(name, entry, dataSize: dataSize, source: source))
    }
    spans.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
    var covered = 0
    for span in spans {
      if span.begin < covered {
        throw SafeTensorsError.tensor(path: source, name: span.name, reason: "data_offsets [\(span.begin), \(span.end)] overlap another tensor")
      }
      if span.begin > covered {
        throw SafeTensorsError.tensor(path: source, name: span.name, reason: "data_offsets leave a hole at bytes \(covered)..<\(span.begin)")
      }
      covered = span.end
    }
    guard covered == dataSize else {
      throw SafeTensorsError.header(path: source, reason: "tensors cover \(covered) of the \(dataSize) data bytes")
    }
    for span in spans {
      let raw = bytes[(headerEnd + span.begin)..<(headerEnd + span.end)]
      if let dtype = DType(safetensorsName: span.dtype.safetensorsName) {
        self[span.name] = try StoredTensor(dtype: dtype, shape: span.shape, littleEndianBytes: raw)
      } else {
        self[graphTensor: span.name] = try GraphTensor(elementType: span.dtype, shape: span.shape, littleEndianBytes: raw)
      }
    }
  }

  private static func parseEntry(
    _ name: String, _ entry: GraphValue, dataSize: Int, source: String
  ) throws -> (begin: Int, end: Int, name: String, dtype: ElementType, shape: [Int]) {
    func fail(_ reason: String) -> SafeTensorsError { .tensor(path: source, name: name, reason: reason) }
    guard let object = entry.object else { throw fail("entry is not an object") }
    guard let dtypeName = object["dtype"]?.string else { throw fail("missing dtype") }
    guard let dtype = ElementType(safetensorsName: dtypeName) else {
      throw fail("unknown or unsupported dtype '\(dtypeName)' (supported: F32, F64, I8, U8, I32, I64, BOOL)")
    }
    guard let shape = object["shape"]?.intArray, shape.allSatisfy({ $0 >= 0 }) else {
      throw fail("shape is not an array of non-negative integers")
    }
    guard let offsets = object["data_offsets"]?.intArray, offsets.count == 2 else {
      throw fail("data_offsets is not [begin, end]")
    }
    let (begin, end) = (offsets[0], offsets[1])
    guard begin >= 0, begin <= end, end <= dataSize else {
      throw fail("data_offsets [\(begin), \(end)] out of bounds of the \(dataSize)-byte data section")
    }
    // elementCount also bounds the strides (zero dimensions counted as 1), so a zero-sized
    // tensor with huge other dimensions cannot overflow them later.
    guard let elements = Tensor<Float>.elementCount(shape), elements <= dataSize else {
      throw fail("shape \(shape) is larger than the data section")
    }
    guard end - begin == elements * dtype.byteSize else {
      throw fail("data_offsets span \(end - begin) bytes but \(dtypeName) shape \(shape) needs \(elements * dtype.byteSize)")
    }
    return (begin, end, name, dtype, shape)
  }

  /// The file's bytes: length, space-padded JSON header, data.
  public func serialized() -> [UInt8] {
    var header = "{"
    var parts = [String]()
    if !metadata.isEmpty {
      let members = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
      parts.append("\"__metadata__\":{" + members.joined(separator: ",") + "}")
    }
    var offset = 0
    for name in names {
      let (dtype, shape, byteCount) =
        tensors[name].map { ($0.dtype.safetensorsName, $0.shape, $0.byteCount) }
        ?? otherTensors[name].map { ($0.elementType.safetensorsName, $0.shape, $0.byteCount) }!
      let dims = shape.map(String.init).joined(separator: ",")
      parts.append(
        "\(jsonString(name)):{\"dtype\":\"\(dtype)\",\"shape\":[\(dims)],\"data_offsets\":[\(offset),\(offset + byteCount)]}")
      offset += byteCount
    }
    header += parts.joined(separator: ",") + "}"
    var headerBytes = Array(header.utf8)
    while headerBytes.count % 8 != 0 { headerBytes.append(UInt8(ascii: " ")) }
    var out = [UInt8]()
    out.reserveCapacity(8 + headerBytes.count + offset)
    withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { out += $0 }
    out += headerBytes
    for name in names { out += tensors[name]?.littleEndianBytes ?? otherTensors[name]!.littleEndianBytes }
    return out
  }

  /// Writes the file atomically (a temporary file in the same directory, then rename).
  /// - Parameter path: destination.
  /// - Throws: ``SafeTensorsError/io(path:reason:)`` when writing fails.
  public func write(to path: String) throws {
    try AtomicFile.write(serialized(), to: path)
  }
}

/// JSON string literal with the escapes JSON requires.
func jsonString(_ text: String) -> String {
  var out = "\""
  for scalar in text.unicodeScalars {
    switch scalar {
    case "\"": out += "\\\""
    case "\\": out += "\\\\"
    case "\n": out += "\\n"
    case "\r": out += "\\r"
    case "\t": out += "\\t"
    default:
      if scalar.value < 0x20 {
        out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
  }
  return out + "\""
}
