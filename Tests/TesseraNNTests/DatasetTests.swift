import Foundation
import Tessera
import Testing
@testable import TesseraNN

struct DatasetTests {
  @Test func bundledSplitIsStratifiedInFileOrder() throws {
    let all = try Dataset.load(path: TestSupport.bundledCSV)
    #expect(all.count == 5_000)
    #expect(all.sampleShape == [1, 28, 28])
    #expect(all.classCounts == [Int](repeating: 500, count: 10))
    #expect(all.pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
    let (train, test) = try all.stratifiedSplit()
    #expect(train.count == 4_000 && test.count == 1_000)
    #expect(train.classCounts == [Int](repeating: 400, count: 10))
    #expect(test.classCounts == [Int](repeating: 100, count: 10))
    // The first test sample is the 401st sample of class 0 in file order.
    let classZero = all.labels.indices.filter { all.labels[$0] == 0 }
    let expected = try all.subset([classZero[400]])
    #expect(Array(test.pixels.prefix(784)) == expected.pixels)
  }

  func csvError(_ text: String, gzip: Bool = false) throws -> String {
    let path = try TestSupport.temporaryDirectory() + (gzip ? "/d.csv.gz" : "/d.csv")
    if gzip { try TestSupport.gzip(Array(text.utf8), to: path) } else { try TestSupport.write(Array(text.utf8), to: path) }
    do {
      _ = try Dataset.load(path: path)
      return "no error"
    } catch {
      return "\(error)".replacingOccurrences(of: path, with: "FILE")
    }
  }

  func row(_ label: Int, pixels: Int = 4, value: Int = 7) -> String {
    (Array(repeating: "\(value)", count: pixels) + ["\(label)"]).joined(separator: ",")
  }

  @Test func csvErrorsNameTheLine() throws {
    #expect(try csvError([row(1), row(2), row(3, pixels: 3)].joined(separator: "\n")) == "FILE:3: expected 5 columns, got 4")
    #expect(try csvError([row(1), row(12)].joined(separator: "\n")) == "FILE:2: label 12 out of range 0...9")
    #expect(try csvError([row(1), row(2, value: 300)].joined(separator: "\n")) == "FILE:2: pixel 300 in column 1 out of range 0...255")
    #expect(try csvError([row(1), "1,2,x,4,5"].joined(separator: "\n")) == "FILE:2: unexpected character 'x' in column 3")
    #expect(try csvError([row(1), "1,2,,4,5"].joined(separator: "\n")) == "FILE:2: an empty field in column 3")
    #expect(try csvError(row(1, pixels: 5)) == "FILE:1: 6 columns: expected a square number of pixels plus a label (785 for 28×28)")
    #expect(try csvError("") == "FILE: no samples")
    #expect(try csvError([row(1), row(2), row(12)].joined(separator: "\n"), gzip: true) == "FILE:3: label 12 out of range 0...9")
  }

  @Test func csvWithHeaderAndCRLF() throws {
    let path = try TestSupport.temporaryDirectory() + "/d.csv"
    try TestSupport.write(Array(("p1,p2,p3,p4,label\r\n" + row(3) + "\r\n\r\n" + row(4, value: 255) + "\n").utf8), to: path)
    let data = try Dataset.load(path: path)
    #expect(data.labels == [3, 4] && data.sampleShape == [1, 2, 2])
    #expect(data.pixels.last == 1)
  }

  @Test func truncatedGzipReportsOffset() throws {
    let directory = try TestSupport.temporaryDirectory()
    let full = directory + "/d.csv.gz"
    let text = (0..<2_000).map { row($0 % 10, pixels: 16, value: $0 % 256) }.joined(separator: "\n")
    try TestSupport.gzip(Array(text.utf8), to: full)
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: full)))
    let cut = directory + "/cut.csv.gz"
    try TestSupport.write(Array(bytes.prefix(bytes.count / 2)), to: cut)
    #expect(throws: DatasetError.self) { try Dataset.load(path: cut) }
    do {
      _ = try Dataset.load(path: cut)
    } catch let error as DatasetError {
      guard case .compression(let path, _, let reason) = error else { Issue.record("wrong error \(error)"); return }
      #expect(path == cut)
      #expect(reason.contains("truncated"))
    }
  }

  /// IDX bytes: magic, big-endian dims, data.
  func idx(_ magic: UInt8, _ dims: [Int], _ data: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [0, 0, 8, magic]
    for d in dims { out += [UInt8(d >> 24 & 255), UInt8(d >> 16 & 255), UInt8(d >> 8 & 255), UInt8(d & 255)] }
    return out + data
  }

  @Test func idxLoadsWithLabelsBeside() throws {
    let directory = try TestSupport.temporaryDirectory()
    try TestSupport.gzip(idx(3, [3, 2, 2], Array(0..<12).map { UInt8($0 * 20) }), to: directory + "/t10k-images-idx3-ubyte.gz")
    try TestSupport.write(idx(1, [3], [9, 0, 4]), to: directory + "/t10k-labels-idx1-ubyte")
    let data = try Dataset.load(path: directory + "/t10k-images-idx3-ubyte.gz")
    #expect(data.labels == [9, 0, 4])
    #expect(data.sampleShape == [1, 2, 2])
    #expect(data.pixels[5] == Float(100) / 255)
  }

  func idxError(images: [UInt8], labels: [UInt8]) throws -> String {
    let directory = try TestSupport.temporaryDirectory()
    try TestSupport.write(images, to: directory + "/x-images-idx3-ubyte")
    try TestSupport.write(labels, to: directory + "/x-labels-idx1-ubyte")
    do {
      _ = try Dataset.load(path: directory + "/x-images-idx3-ubyte")
      return "no error"
    } catch {
      return "\(error)".replacingOccurrences(of: directory + "/", with: "")
    }
  }

  @Test func idxErrorsNameTheByte() throws {
    let images = idx(3, [2, 2, 2], [UInt8](repeating: 1, count: 8))
    #expect(try idxError(images: idx(1, [2, 2, 2], []), labels: idx(1, [2], [0, 1]))
      == "x-images-idx3-ubyte: byte 0: bad magic 0x801, expected 0x00000803 (images of unsigned bytes)")
    #expect(try idxError(images: Array(images.dropLast(3)), labels: idx(1, [2], [0, 1]))
      == "x-images-idx3-ubyte: byte 21: truncated: dimensions [2, 2, 2] need 24 bytes, file has 21")
    #expect(try idxError(images: images, labels: idx(1, [3], [0, 1, 2]))
      == "x-images-idx3-ubyte: 2 images but 3 labels in x-labels-idx1-ubyte")
    #expect(try idxError(images: images, labels: idx(1, [2], [0, 10]))
      == "x-labels-idx1-ubyte: byte 9: label 10 out of range 0...9")
    #expect(try idxError(images: [0, 0], labels: idx(1, [2], [0, 1]))
      == "x-images-idx3-ubyte: byte 2: truncated: file ends inside the 4-byte magic number")
    #expect(try idxError(images: images, labels: [])
      == "x-labels-idx1-ubyte: byte 0: truncated: file ends inside the 4-byte magic number")
  }

  @Test func missingFileIsAClearError() {
    #expect(throws: DatasetError.cannotOpen(path: "/nonexistent.csv", reason: "no such file")) {
      try Dataset.load(path: "/nonexistent.csv")
    }
    #expect(Dataset.idxLabelsPath(forImages: "/d/train-images-idx3-ubyte.gz") == "/d/train-labels-idx1-ubyte.gz")
  }

  @Test func augmentationIdentityAndShift() throws {
    var pixels = (0..<16).map { Float($0) }
    var rng = SplitMix64(seed: 1)
    Augmentation(maxShift: 0, maxRotationDegrees: 0, maxScale: 0).apply(to: &pixels, count: 1, shape: [1, 4, 4], using: &rng)
    #expect(pixels == (0..<16).map { Float($0) })
    // With a shift range, every output is a convex mix of inputs and zeros: bounded by the max.
    Augmentation(maxShift: 2, maxRotationDegrees: 10).apply(to: &pixels, count: 1, shape: [1, 4, 4], using: &rng)
    #expect(pixels.allSatisfy { $0 >= 0 && $0 <= 15 })
    #expect(pixels != (0..<16).map { Float($0) })
  }
}
