import Foundation
import Tessera

extension Dataset {
  /// The labels file that belongs to an IDX images file: `images-idx3` becomes `labels-idx1`
  /// in the file name (`train-images-idx3-ubyte.gz` → `train-labels-idx1-ubyte.gz`); when that
  /// file is missing, the same name with or without `.gz` is tried.
  /// - Parameter imagesPath: the images file.
  /// - Returns: the labels path (which may not exist when nothing matched).
  public static func idxLabelsPath(forImages imagesPath: String) -> String {
    var parts = imagesPath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    parts[parts.count - 1] = parts[parts.count - 1].replacingOccurrences(of: "images-idx3", with: "labels-idx1")
    let candidate = parts.joined(separator: "/")
    let alternative = candidate.hasSuffix(".gz") ? String(candidate.dropLast(3)) : candidate + ".gz"
    if !FileManager.default.fileExists(atPath: candidate) && FileManager.default.fileExists(atPath: alternative) {
      return alternative
    }
    return candidate
  }

  /// Loads MNIST IDX files: images (`magic 0x00000803`, unsigned bytes, dims N × H × W) and the
  /// labels file beside it (`0x00000801`, N bytes). Dimensions are big-endian 32-bit; pixels are
  /// divided by 255. Either file may be gzip-compressed.
  /// - Parameters:
  ///   - imagesPath: the `*-images-idx3-ubyte[.gz]` file.
  ///   - classCount: number of classes.
  /// - Throws: ``DatasetError`` for a bad magic number, truncated data (with the byte offset),
  ///   labels out of range or counts that disagree.
  public static func loadIDX(imagesPath: String, classCount: Int = 10) throws -> Dataset {
    let labelsPath = idxLabelsPath(forImages: imagesPath)
    let images = try GzipFile.read(imagesPath)
    let (imageDims, imageData) = try parseIDX(images, path: imagesPath, rank: 3)
    guard imageDims[0] > 0 else { throw DatasetError.mismatch(path: imagesPath, reason: "no samples (the header declares 0 images)") }
    guard imageDims[1] > 0, imageDims[2] > 0 else {
      throw DatasetError.idx(path: imagesPath, offset: 8, reason: "images are \(imageDims[1])×\(imageDims[2]); both sides must be positive")
    }
    let labelBytes = try GzipFile.read(labelsPath)
    let (labelDims, labelData) = try parseIDX(labelBytes, path: labelsPath, rank: 1)
    guard imageDims[0] == labelDims[0] else {
      throw DatasetError.mismatch(
        path: imagesPath, reason: "\(imageDims[0]) images but \(labelDims[0]) labels in \(labelsPath)")
    }
    var labels = [Int](repeating: 0, count: labelDims[0])
    for i in labels.indices {
      let label = Int(labelBytes[labelData + i])
      guard label < classCount else {
        throw DatasetError.idx(path: labelsPath, offset: labelData + i, reason: "label \(label) out of range 0...\(classCount - 1)")
      }
      labels[i] = label
    }
    let size = imageDims[1] * imageDims[2]
    var pixels = [Float](repeating: 0, count: imageDims[0] * size)
    images.withUnsafeBufferPointer { src in
      for i in pixels.indices { pixels[i] = Float(src[imageData + i]) / 255 }
    }
    return try Dataset(
      pixels: pixels, labels: labels, sampleShape: [1, imageDims[1], imageDims[2]], classCount: classCount,
      source: imagesPath)
  }

  /// Validates an IDX header of unsigned-byte data; returns the dimensions and the data offset.
  static func parseIDX(_ bytes: [UInt8], path: String, rank: Int) throws -> ([Int], Int) {
    let header = 4 + 4 * rank
    guard bytes.count >= 4 else {
      throw DatasetError.idx(path: path, offset: bytes.count, reason: "truncated: file ends inside the 4-byte magic number")
    }
    let expectedMagic = 0x0000_0800 | UInt32(rank)
    let magic = bytes[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    guard magic == expectedMagic else {
      throw DatasetError.idx(
        path: path, offset: 0,
        reason: "bad magic 0x\(String(magic, radix: 16, uppercase: true)), expected 0x\(String(format: "%08X", expectedMagic)) (\(rank == 3 ? "images" : "labels") of unsigned bytes)")
    }
    guard bytes.count >= header else {
      throw DatasetError.idx(path: path, offset: bytes.count, reason: "truncated: header needs \(header) bytes")
    }
    var dims = [Int]()
    for d in 0..<rank {
      let start = 4 + 4 * d
      dims.append(Int(bytes[start..<(start + 4)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }))
    }
    // Dimensions are up to 2³² − 1 each, so the product can overflow: check it, never wrap.
    guard let expected = Tensor<Float>.elementCount(dims), expected <= Int.max - header else {
      throw DatasetError.idx(path: path, offset: 4, reason: "dimensions \(dims) describe more data than can exist")
    }
    guard bytes.count >= header + expected else {
      throw DatasetError.idx(
        path: path, offset: bytes.count,
        reason: "truncated: dimensions \(dims) need \(header + expected) bytes, file has \(bytes.count)")
    }
    guard bytes.count == header + expected else {
      throw DatasetError.idx(
        path: path, offset: header + expected, reason: "\(bytes.count - header - expected) unexpected bytes after the data")
    }
    return (dims, header)
  }
}
