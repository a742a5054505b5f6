import Tessera

/// Labelled images held in memory as float32 NCHW, pixels scaled to `[0, 1]`.
///
/// Load the bundled CSV or MNIST IDX files with ``load(path:classCount:)``, then split with
/// ``stratifiedSplit(trainFraction:)``.
///
/// For example:
/// ```swift
/// let all = try Dataset.load(path: "Models/data/mnist_5k.csv.gz")
/// let (train, test) = try all.stratifiedSplit()      // 4,000 / 1,000
/// let (x, y) = try train.batch([0, 1, 2])              // x: [3, 1, 28, 28]
/// ```
public struct Dataset: Sendable {
  /// Pixels of every sample, `count × sampleShape`, row-major.
  public private(set) var pixels: [Float]
  /// Class index of every sample.
  public private(set) var labels: [Int]
  /// Per-sample shape `[channels, height, width]`.
  public let sampleShape: [Int]
  /// Number of classes (labels are in `0..<classCount`).
  public let classCount: Int
  /// Where the samples came from (for messages).
  public let source: String

  /// Makes a dataset from arrays.
  /// - Parameters:
  ///   - pixels: `labels.count × sampleShape` values.
  ///   - labels: class indices in `0..<classCount`.
  ///   - sampleShape: per-sample shape.
  ///   - classCount: number of classes.
  ///   - source: a name for messages.
  /// - Throws: ``DatasetError/mismatch(path:reason:)`` when sizes disagree, the sample shape or
  ///   class count is not positive, or a label is out of range.
  public init(pixels: [Float], labels: [Int], sampleShape: [Int], classCount: Int = 10, source: String = "memory") throws {
    guard classCount >= 1 else { throw DatasetError.mismatch(path: source, reason: "class count \(classCount) must be at least 1") }
    guard !sampleShape.isEmpty, sampleShape.allSatisfy({ $0 > 0 }), let size = Tensor<Float>.elementCount(sampleShape) else {
      throw DatasetError.mismatch(path: source, reason: "sample shape \(sampleShape) must be non-empty and positive")
    }
    guard labels.count.multipliedReportingOverflow(by: size) == (pixels.count, false) else {
      throw DatasetError.mismatch(
        path: source, reason: "\(pixels.count) pixel values for \(labels.count) samples of shape \(sampleShape)")
    }
    if let index = labels.firstIndex(where: { $0 < 0 || $0 >= classCount }) {
      throw DatasetError.mismatch(
        path: source, reason: "sample \(index): label \(labels[index]) out of range 0...\(classCount - 1)")
    }
    self.pixels = pixels
    self.labels = labels
    self.sampleShape = sampleShape
    self.classCount = classCount
    self.source = source
  }

  /// Number of samples.
  public var count: Int { labels.count }
  /// Values per sample.
  public var sampleSize: Int { sampleShape.reduce(1, *) }

  /// Loads the bundled CSV format or an MNIST IDX images file, chosen by name: a file whose
  /// name contains `idx3` is IDX (labels beside it, `images-idx3` → `labels-idx1`), anything else
  /// is CSV. Either may be gzip-compressed.
  /// - Parameters:
  ///   - path: the file.
  ///   - classCount: number of classes (labels must be below it).
  /// - Throws: ``DatasetError`` naming the file and line or byte offset of the first problem.
  public static func load(path: String, classCount: Int = 10) throws -> Dataset {
    let fileName = path.split(separator: "/").last.map(String.init) ?? path
    if fileName.contains("idx3") { return try loadIDX(imagesPath: path, classCount: classCount) }
    if fileName.contains("idx1") {
      throw DatasetError.cannotOpen(path: path, reason: "is an IDX labels file; pass the images file (*-images-idx3-ubyte) beside it")
    }
    return try loadCSV(path: path, classCount: classCount)
  }

  /// The samples at `indices`, in that order.
  /// - Parameter indices: sample indices.
  /// - Returns: a new dataset.
  /// - Throws: ``DatasetError/mismatch(path:reason:)`` for an index out of range.
  public func subset(_ indices: [Int]) throws -> Dataset {
    if let bad = indices.first(where: { $0 < 0 || $0 >= count }) {
      throw DatasetError.mismatch(path: source, reason: "sample index \(bad) out of range 0..<\(count)")
    }
    let size = sampleSize
    var out = [Float](repeating: 0, count: indices.count * size)
    pixels.withUnsafeBufferPointer { src in
      out.withUnsafeMutableBufferPointer { dst in
        for (row, index) in indices.enumerated() {
          (dst.baseAddress! + row * size).update(from: src.baseAddress! + index * size, count: size)
        }
      }
    }
    return try Dataset(
      pixels: out, labels: indices.map { labels[$0] }, sampleShape: sampleShape, classCount: classCount, source: source)
  }

  /// A batch tensor `[indices.count] + sampleShape` and its labels.
  /// - Parameter indices: sample indices.
  /// - Throws: ``DatasetError/mismatch(path:reason:)`` for an index out of range.
  public func batch(_ indices: [Int]) throws -> (images: Tensor<Float>, labels: [Int]) {
    let part = try subset(indices)
    return (try Tensor(shape: [indices.count] + sampleShape, scalars: part.pixels), part.labels)
  }

  /// Samples per class.
  public var classCounts: [Int] {
    var counts = [Int](repeating: 0, count: classCount)
    for label in labels { counts[label] += 1 }
    return counts
  }

  /// The fixed, documented train/test split: for each class, the first
  /// `⌊trainFraction · n_c⌉` samples of that class in file order go to training and the rest to
  /// test; both keep file order. On the bundled 5,000-digit CSV (500 per class) the default
  /// 0.8 gives 4,000 training and 1,000 test samples (400 / 100 per class).
  /// - Parameter trainFraction: share of each class used for training, in `(0, 1)`.
  /// - Returns: (train, test).
  /// - Throws: ``DatasetError/mismatch(path:reason:)`` when the fraction is out of range.
  public func stratifiedSplit(trainFraction: Double = 0.8) throws -> (train: Dataset, test: Dataset) {
    guard trainFraction > 0 && trainFraction < 1 else {
      throw DatasetError.mismatch(path: source, reason: "train fraction \(trainFraction) must be in (0, 1)")
    }
    let quota = classCounts.map { Int(($0 * Int((trainFraction * 1_000_000).rounded()) + 500_000) / 1_000_000) }
    var seen = [Int](repeating: 0, count: classCount)
    var train = [Int](), test = [Int]()
    for (index, label) in labels.enumerated() {
      if seen[label] < quota[label] { train.append(index) } else { test.append(index) }
      seen[label] += 1
    }
    return (try subset(train), try subset(test))
  }

  /// Both datasets concatenated (same sample shape and classes).
  /// - Throws: ``DatasetError/mismatch(path:reason:)`` when shapes differ.
  public func appending(_ other: Dataset) throws -> Dataset {
    guard other.sampleShape == sampleShape, other.classCount == classCount else {
      throw DatasetError.mismatch(path: other.source, reason: "sample shape \(other.sampleShape) differs from \(sampleShape)")
    }
    return try Dataset(
      pixels: pixels + other.pixels, labels: labels + other.labels, sampleShape: sampleShape,
      classCount: classCount, source: source)
  }
}
