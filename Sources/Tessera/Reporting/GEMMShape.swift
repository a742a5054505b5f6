/// The size of one matrix product `C[m×n] = A[m×k] · Wᵀ` (W stored as n rows of k),
/// the unit every benchmark and report is keyed by.
///
/// Shapes are written `m×n×k` (ASCII `x` accepted), as in the command line's
/// `--shapes 1x256x784,64x256x784`. A Dense layer with `in` inputs and `out`
/// outputs on a batch of `b` rows is the shape `b×out×in`.
///
/// For example:
/// ```swift
/// let shape = try GEMMShape(parsing: "64x256x784")
/// shape.operationCount   // 2 · 64 · 256 · 784
/// shape.naturalOperation // .gemm (m = 1 gives .gemv)
/// ```
public struct GEMMShape: Hashable, Sendable, CustomStringConvertible {
  /// Rows of A and C (the batch).
  public let m: Int
  /// Columns of C (output channels, rows of W).
  public let n: Int
  /// The reduction length (columns of A and W).
  public let k: Int

  /// Largest element count of any operand (`m×k`, `n×k` or `m×n`): 2³⁰, so a typo such as
  /// `100000000x100000000x100000000` is an error instead of an allocation failure.
  public static let maximumOperandElements = 1 << 30

  /// Makes a shape from its three dimensions.
  ///
  /// - Parameters:
  ///   - m: rows of A and C, at least 1.
  ///   - n: output columns, at least 1.
  ///   - k: reduction length, at least 1.
  /// - Throws: ``TesseraError/invalidArgument(_:)`` when a dimension is below 1 or an operand
  ///   would exceed ``maximumOperandElements``.
  public init(m: Int, n: Int, k: Int) throws {
    for (name, value) in [("m", m), ("n", n), ("k", k)] where value < 1 {
      throw TesseraError.invalidArgument("shape \(m)x\(n)x\(k): \(name) must be at least 1, got \(value)")
    }
    for (name, a, b) in [("m×k", m, k), ("n×k", n, k), ("m×n", m, n)] {
      let (count, overflow) = a.multipliedReportingOverflow(by: b)
      guard !overflow, count <= Self.maximumOperandElements else {
        throw TesseraError.invalidArgument(
          "shape \(m)x\(n)x\(k): the \(name) operand has more than \(Self.maximumOperandElements) elements")
      }
    }
    self.m = m
    self.n = n
    self.k = k
  }

  /// Parses `m×n×k` written with `x`, `X` or `×` between positive integers.
  ///
  /// - Parameter text: the shape, for example `"1x256x784"`; spaces around it are ignored.
  /// - Throws: ``TesseraError/invalidArgument(_:)`` naming the text when it is not
  ///   three positive integers.
  public init(parsing text: String) throws {
    let trimmed = text.reportingTrimmed()
    let parts = trimmed.split(omittingEmptySubsequences: false) { $0 == "x" || $0 == "X" || $0 == "×" }
    guard parts.count == 3 else {
      throw TesseraError.invalidArgument("invalid shape '\(text)': expected MxNxK, for example 64x256x784")
    }
    var dims = [Int]()
    for part in parts {
      guard let value = Int(part), value >= 1 else {
        throw TesseraError.invalidArgument(
          "invalid shape '\(text)': '\(part)' is not a positive integer (expected MxNxK)")
      }
      dims.append(value)
    }
    try self.init(m: dims[0], n: dims[1], k: dims[2])
  }

  /// Parses a comma-separated list of shapes, such as `"1x256x784,64x256x784"`.
  ///
  /// - Parameter list: shapes separated by commas; empty entries are an error.
  /// - Returns: the shapes in the order given (duplicates kept).
  /// - Throws: ``TesseraError/invalidArgument(_:)`` for an empty list or any bad entry.
  public static func parseList(_ list: String) throws -> [GEMMShape] {
    let entries = list.split(separator: ",", omittingEmptySubsequences: false)
    guard !list.reportingTrimmed().isEmpty else {
      throw TesseraError.invalidArgument("empty shape list: expected MxNxK[,MxNxK...]")
    }
    return try entries.map { try GEMMShape(parsing: String($0)) }
  }

  /// Arithmetic operations of the product: one multiply and one add per MAC, `2·m·n·k`.
  public var operationCount: Double { 2 * Double(m) * Double(n) * Double(k) }

  /// `gemv` for a single row (m = 1), `gemm` otherwise.
  public var naturalOperation: KernelOp { m == 1 ? .gemv : .gemm }

  /// `m x n x k` written as `"64x256x784"`.
  public var description: String { "\(m)x\(n)x\(k)" }
}

extension String {
  /// Drops leading and trailing spaces and tabs (Foundation-free trim).
  func reportingTrimmed() -> String {
    let drop: Set<Character> = [" ", "\t"]
    var slice = Substring(self)
    while let first = slice.first, drop.contains(first) { slice.removeFirst() }
    while let last = slice.last, drop.contains(last) { slice.removeLast() }
    return String(slice)
  }
}
