import Foundation
import Testing
import TesseraGraph

@testable import TesseraONNX

/// Moves initializers of `sampleGraph()` to external data: `placements` maps a tensor name to
/// (location, offset, length); nil offset/length leave the key out.
func externalModel(_ placements: [String: (String, Int?, Int?)]) throws -> [UInt8] {
  try edited(try sampleGraph()) { model in
    for i in model.graph.initializer.indices {
      guard let (location, offset, length) = placements[model.graph.initializer[i].name] else { continue }
      var entries = [("location", location)]
      if let offset { entries.append(("offset", "\(offset)")) }
      if let length { entries.append(("length", "\(length)")) }
      model.graph.initializer[i].externalData = entries.map { key, value in
        var e = Onnx_StringStringEntryProto()
        e.key = key
        e.value = value
        return e
      }
      model.graph.initializer[i].dataLocation = .external
      model.graph.initializer[i].clearRawData()
    }
  }
}

@Suite("ONNX external data")
struct ONNXExternalDataTests {
  let w1 = try! sampleGraph().initializers["w1"]!.littleEndianBytes  // 48 bytes
  let b1 = try! sampleGraph().initializers["b1"]!.littleEndianBytes  // 12 bytes

  @Test("tensors are read from files beside the model, at their offsets, also from subfolders and via inner symlinks")
  func reads() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    try folder.write("weights.bin", [9, 9, 9, 9] + w1 + b1 + [7])
    try FileManager.default.createDirectory(atPath: folder.file("data"), withIntermediateDirectories: true)
    try folder.write("data/q.bin", [0x80, 0x00, 0x7F])
    try FileManager.default.createSymbolicLink(atPath: folder.file("link.bin"), withDestinationPath: "data/q.bin")
    let path = try folder.write(
      "m.onnx",
      try externalModel(["w1": ("weights.bin", 4, 48), "b1": ("weights.bin", 52, 12), "q": ("data/q.bin", nil, nil)]))
    #expect(try ONNXImporter.graph(contentsOf: path) == (try sampleGraph()))
    let linked = try folder.write("linked.onnx", try externalModel(["q": ("link.bin", 0, 3)]))
    #expect(try ONNXImporter.graph(contentsOf: linked) == (try sampleGraph()))
  }

  @Test("a path leaving the model's folder is rejected: ../x.bin, an absolute path, a symlink pointing outside")
  func escapes() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let outside = try folder.write("x.bin", w1)
    let modelFolder = folder.file("model")
    try FileManager.default.createDirectory(atPath: modelFolder, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: modelFolder + "/link.bin", withDestinationPath: outside)
    func importing(_ location: String) throws {
      let bytes = try externalModel(["w1": (location, 0, 48)])
      try Data(bytes).write(to: URL(fileURLWithPath: modelFolder + "/m.onnx"))
      _ = try ONNXImporter.graph(contentsOf: modelFolder + "/m.onnx")
    }
    expectFailure("tensor 'w1': external data '../x.bin' resolves to", "outside the model's folder") { try importing("../x.bin") }
    expectFailure("tensor 'w1': external data '\(outside)' is an absolute path") { try importing(outside) }
    expectFailure("tensor 'w1': external data 'link.bin' resolves to", "x.bin", "outside the model's folder") {
      try importing("link.bin")
    }
    expectFailure("tensor 'w1': external data 'sub/../../x.bin'") { try importing("sub/../../x.bin") }
  }

  @Test("missing files, bad offsets and lengths, and bytes without a folder are named")
  func badPlacements() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    try folder.write("w.bin", w1)
    func importing(_ placement: (String, Int?, Int?)) throws {
      _ = try ONNXImporter.graph(contentsOf: try folder.write("m.onnx", try externalModel(["w1": placement])))
    }
    expectFailure("tensor 'w1': external data 'nope.bin' does not exist") { try importing(("nope.bin", 0, 48)) }
    expectFailure("external data 'w.bin' is 48 bytes, shorter than the offset 49") { try importing(("w.bin", 49, nil)) }
    expectFailure("external data 'w.bin' is 48 bytes, too short for offset 8 + length 48") { try importing(("w.bin", 8, 48)) }
    expectFailure("external data 'w.bin' holds 40 bytes for the tensor, but its type and shape need 48") {
      try importing(("w.bin", 8, nil))
    }
    expectFailure("external data 'w.bin' has an invalid offset '-1'") { try importing(("w.bin", -1, 48)) }
    try FileManager.default.createDirectory(atPath: folder.file("dir.bin"), withIntermediateDirectories: true)
    expectFailure("external data 'dir.bin' cannot be read (it is a directory)") { try importing(("dir.bin", 0, 48)) }
    let bytes = try externalModel(["w1": ("w.bin", 0, 48)])
    expectFailure("tensor 'w1': external data 'w.bin' cannot be read: the model was given as bytes") {
      _ = try ONNXImporter.graph(serialized: bytes)
    }
    #expect(try ONNXImporter.graph(serialized: bytes, directory: folder.path) == (try sampleGraph()))
    let noLocation = try externalModel(["w1": ("", 0, 48)])
    expectFailure("tensor 'w1': external data without a 'location' key") {
      _ = try ONNXImporter.graph(serialized: noLocation, directory: folder.path)
    }
  }
}

