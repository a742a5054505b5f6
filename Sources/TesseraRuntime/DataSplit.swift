import TesseraNN
import TesseraQuantization

/// Which part of a data file a command uses. Every file is split with the fixed, documented
/// stratified split (`Dataset.stratifiedSplit(trainFraction:)`): calibration and QAT use the
/// training part, validation and `run` the test part, so calibration never sees a test digit.
public enum DataSplit: String, CaseIterable, Sendable {
  /// The training part (4,000 digits of the bundled file).
  case train
  /// The test part (1,000 digits of the bundled file).
  case test
  /// The whole file.
  case all

  /// Loads `path` and returns this split, checking that samples fit a model input.
  /// - Parameters:
  ///   - path: bundled CSV or MNIST IDX images file.
  ///   - inputCount: values per sample the model takes.
  /// - Throws: `DatasetError` for unreadable data or an empty split, `QuantizationError.shapeMismatch(what:expected:got:)`
  ///   when a sample does not have `inputCount` values.
  public func load(_ path: String, inputCount: Int) throws -> Dataset {
    let all = try Dataset.load(path: path)
    guard all.sampleSize == inputCount else {
      throw QuantizationError.shapeMismatch(what: "\(path): samples", expected: [inputCount], got: all.sampleShape)
    }
    let part: Dataset
    switch self {
    case .all: part = all
    case .train: part = try all.stratifiedSplit().train
    case .test: part = try all.stratifiedSplit().test
    }
    guard part.count > 0 else {
      throw DatasetError.mismatch(path: path, reason: "no \(rawValue) samples (\(all.count) samples in the file are too few to split; use --split all or more data)")
    }
    return part
  }

  /// `count` samples spread evenly over the dataset (indices `i · n / count`), deterministic and
  /// covering every class even when the file is sorted by class.
  /// - Throws: `DatasetError` (never for valid counts).
  public static func evenlySpaced(_ data: Dataset, count: Int) throws -> Dataset {
    let n = data.count, k = Swift.min(Swift.max(count, 1), n)
    return try data.subset((0..<k).map { $0 * n / k })
  }
}
