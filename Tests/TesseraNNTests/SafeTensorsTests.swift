import Foundation
import Tessera
import Testing
@testable import TesseraNN

struct SafeTensorsTests {
  func sampleFile() throws -> SafeTensorsFile {
    var file = SafeTensorsFile(metadata: ["tessera.graph": "{\"x\": \"quoted \\\" text\"}", "note": "line\nbreak"])
    file["w"] = .float32(try Tensor(shape: [2, 3], scalars: [1, -2.5, 3, .pi, -0, 1e-30]))
    file["q"] = .int8(try Tensor(shape: [3], scalars: [-128, 0, 127]))
    file["u"] = .uint8(try Tensor(shape: [1, 1], scalars: [255]))
    file["b"] = .int32(try Tensor(shape: [2], scalars: [Int32.min, 123_456]))
    file["s"] = .float32(try Tensor(shape: [], scalars: [0.5]))
    file["e"] = .float32(try Tensor(shape: [0, 4], scalars: []))
    return file
  }

  @Test func roundTripsEveryDtype() throws {
    let file = try sampleFile()
    let bytes = file.serialized()
    let headerLength = Int(bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    #expect(headerLength % 8 == 0)
    #expect(bytes[8] == UInt8(ascii: "{"))
    let back = try SafeTensorsFile(bytes: bytes, source: "memory")
    #expect(back == file)
    #expect(back.names == file.names)
    #expect(back["w"]?.float32?.scalars == [1, -2.5, 3, .pi, -0, 1e-30])
    #expect(back["b"]?.int32?.scalars == [Int32.min, 123_456])
    #expect(back.metadata["note"] == "line\nbreak")
  }

  @Test func writesAtomicallyWithoutLeftovers() throws {
    let directory = try TestSupport.temporaryDirectory()
    let path = directory + "/m.safetensors"
    try sampleFile().write(to: path)
    try sampleFile().write(to: path)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["m.safetensors"])
    #expect(try SafeTensorsFile(contentsOf: path) == sampleFile())
    #expect(throws: SafeTensorsError.self) { try sampleFile().write(to: directory + "/missing/dir/m.safetensors") }
  }

  /// A file with the given header JSON and data bytes.
  func file(header: String, data: [UInt8] = [], declaredLength: UInt64? = nil) -> [UInt8] {
    var out = [UInt8]()
    withUnsafeBytes(of: (declaredLength ?? UInt64(header.utf8.count)).littleEndian) { out += $0 }
    return out + Array(header.utf8) + data
  }

  func message(_ bytes: [UInt8]) -> String? {
    do {
      _ = try SafeTensorsFile(bytes: bytes, source: "bad.safetensors")
      return nil
    } catch {
      return "\(error)"
    }
  }

  @Test func rejectsCorruptFiles() throws {
    let four = [UInt8](repeating: 0, count: 4)
    let cases: [([UInt8], String)] = [
      ([1, 2, 3], "fewer than the 8-byte length"),
      (file(header: "{}", declaredLength: 1_000), "exceeds the"),
      (file(header: "[1, 2]"), "does not start with '{'"),
      (file(header: "{\"a\": "), "not valid JSON"),
      (file(header: "{\"__metadata__\": {\"k\": 1}}"), "is not a string"),
      (file(header: "{\"a\": {\"dtype\": \"BF16\", \"shape\": [2], \"data_offsets\": [0, 4]}}", data: four), "unknown or unsupported dtype 'BF16'"),
      (file(header: "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 8]}}", data: four), "out of bounds"),
      (file(header: "{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 4]}}", data: four), "needs 8"),
      (file(header: "{\"a\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", data: four), "non-negative"),
      (file(header: "{\"a\": {\"dtype\": \"I8\", \"shape\": [3], \"data_offsets\": [0, 3]}, \"b\": {\"dtype\": \"I8\", \"shape\": [2], \"data_offsets\": [2, 4]}}", data: four), "overlap"),
      (file(header: "{\"a\": {\"dtype\": \"I8\", \"shape\": [1], \"data_offsets\": [0, 1]}, \"b\": {\"dtype\": \"I8\", \"shape\": [2], \"data_offsets\": [2, 4]}}", data: four), "hole"),
      (file(header: "{\"a\": {\"dtype\": \"I8\", \"shape\": [2], \"data_offsets\": [0, 2]}}", data: four), "cover 2 of the 4"),
      (file(header: "{\"a\": {\"dtype\": \"I8\", \"shape\": [2], \"data_offsets\": [2]}}", data: four), "data_offsets is not"),
      // Zero elements, but strides of 2⁶² × 2⁶² used to overflow (a trap) when the tensor was made.
      (file(header: "{\"a\": {\"dtype\": \"F32\", \"shape\": [0, 4611686018427387904, 4611686018427387904], \"data_offsets\": [0, 0]}}"),
       "is larger than the data section"),
    ]
    for (bytes, expected) in cases {
      let text = message(bytes)
      #expect(text?.contains(expected) == true, "expected '\(expected)', got \(text ?? "success")")
      #expect(text?.hasPrefix("bad.safetensors") == true)
    }
  }

  @Test func missingFileNamesThePath() {
    #expect(throws: SafeTensorsError.io(path: "/nonexistent/x.safetensors", reason: "no such file")) {
      try SafeTensorsFile(contentsOf: "/nonexistent/x.safetensors")
    }
  }
}
