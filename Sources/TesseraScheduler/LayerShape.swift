/// The loop bounds of one layer: a 7-loop convolution, or a GEMM as the convolution with
/// `n = M`, `k = N`, `c = K` and unit spatial dimensions (see ``ProblemDim``).
public struct LayerShape: Hashable, Sendable {
  /// Bounds indexed by `ProblemDim.rawValue` (`n, k, c, p, q, r, s`).
  public private(set) var bounds: [Int]
  /// Vertical stride (input rows per output row).
  public let strideH: Int
  /// Horizontal stride.
  public let strideW: Int

  /// Makes a convolution shape from its output-side bounds.
  /// - Parameters:
  ///   - n: batch.
  ///   - k: output channels.
  ///   - c: input channels.
  ///   - p: output rows.
  ///   - q: output columns.
  ///   - r: filter rows.
  ///   - s: filter columns.
  ///   - strideH: vertical stride.
  ///   - strideW: horizontal stride.
  /// - Throws: ``SchedulerError/invalidWorkload(_:)`` when a bound or stride is below 1 or above
  ///   ``maxBound``, or the MACs or a tensor's elements exceed ``maxProduct``.
  public init(n: Int, k: Int, c: Int, p: Int, q: Int, r: Int, s: Int, strideH: Int = 1, strideW: Int = 1) throws {
    let all = [n, k, c, p, q, r, s]
    for (dim, value) in zip(ProblemDim.allCases, all) where value < 1 {
      throw SchedulerError.invalidWorkload("loop bound \(dim) = \(value) must be at least 1")
    }
    guard strideH >= 1, strideW >= 1 else {
      throw SchedulerError.invalidWorkload("stride \(strideH)×\(strideW) must be at least 1")
    }
    for (dim, value) in zip(ProblemDim.allCases, all) where value > Self.maxBound {
      throw SchedulerError.invalidWorkload("loop bound \(dim) = \(value) exceeds the limit \(Self.maxBound) (2^31)")
    }
    guard strideH <= Self.maxBound, strideW <= Self.maxBound else {
      throw SchedulerError.invalidWorkload("stride \(strideH)×\(strideW) exceeds the limit \(Self.maxBound) (2^31)")
    }
    bounds = all
    self.strideH = strideH
    self.strideW = strideW
    // Bounds ≤ 2^31 keep each pairwise product in range; check the full products with overflow detection.
    let sizes: [(String, [Int])] = [
      ("multiply-accumulates", all),
      ("input elements", [n, c, (p - 1) * strideH + r, (q - 1) * strideW + s]),
      ("weight elements", [k, c, r, s]), ("output elements", [n, k, p, q]),
    ]
    for (what, factors) in sizes {
      var product = 1, overflow = false
      for f in factors where !overflow {
        (product, overflow) = product.multipliedReportingOverflow(by: f)
      }
      guard !overflow, product <= Self.maxProduct else {
        throw SchedulerError.invalidWorkload(
          "\(what) \(factors.map(String.init).joined(separator: "×")) exceed the limit \(Self.maxProduct) (2^50)")
      }
    }
  }

  /// Largest loop bound or stride accepted (2^31).
  public static let maxBound = 1 << 31
  /// Largest multiply-accumulate count, and element count of any tensor, accepted (2^50), so
  /// byte and access counts in the cost model stay far inside `Int` and exact in `Double`.
  public static let maxProduct = 1 << 50

  /// A GEMM `C[M][N] = A[M][K] · B[K][N]`.
  /// - Parameters:
  ///   - m: rows of A and C.
  ///   - n: columns of B and C.
  ///   - k: the reduction.
  /// - Throws: ``SchedulerError/invalidWorkload(_:)`` when a dimension is below 1.
  public static func gemm(m: Int, n: Int, k: Int) throws -> LayerShape {
    for (name, v) in [("M", m), ("N", n), ("K", k)] where v < 1 {
      throw SchedulerError.invalidWorkload("GEMM \(name) = \(v) must be at least 1")
    }
    return try LayerShape(n: m, k: n, c: k, p: 1, q: 1, r: 1, s: 1)
  }

  /// A convolution given by its input side (as `--conv N,C,H,W,K,R,S,stride,pad`).
  /// - Parameters:
  ///   - batch: images.
  ///   - channels: input channels.
  ///   - height: input rows.
  ///   - width: input columns.
  ///   - filters: output channels.
  ///   - filterHeight: filter rows.
  ///   - filterWidth: filter columns.
  ///   - stride: stride in both directions.
  ///   - padding: zero padding on each side.
  /// - Throws: ``SchedulerError/invalidWorkload(_:)`` when the filter does not fit the padded input.
  public static func conv(
    batch: Int, channels: Int, height: Int, width: Int, filters: Int,
    filterHeight: Int, filterWidth: Int, stride: Int = 1, padding: Int = 0
  ) throws -> LayerShape {
    guard stride >= 1 else { throw SchedulerError.invalidWorkload("stride \(stride) must be at least 1") }
    guard padding >= 0 else { throw SchedulerError.invalidWorkload("padding \(padding) must not be negative") }
    for (what, value) in [("batch", batch), ("channels", channels), ("height", height), ("width", width),
                          ("filters", filters), ("filter height", filterHeight), ("filter width", filterWidth),
                          ("stride", stride), ("padding", padding)] where value > maxBound {
      throw SchedulerError.invalidWorkload("\(what) \(value) exceeds the limit \(maxBound) (2^31)")
    }
    let paddedH = height + 2 * padding, paddedW = width + 2 * padding
    guard filterHeight >= 1, filterWidth >= 1, filterHeight <= paddedH, filterWidth <= paddedW else {
      throw SchedulerError.invalidWorkload(
        "filter \(filterHeight)×\(filterWidth) does not fit the padded input \(paddedH)×\(paddedW)")
    }
    return try LayerShape(
      n: batch, k: filters, c: channels,
      p: (paddedH - filterHeight) / stride + 1, q: (paddedW - filterWidth) / stride + 1,
      r: filterHeight, s: filterWidth, strideH: stride, strideW: stride)
  }

  /// The bound of one dimension.
  /// - Parameter dim: the dimension.
  public subscript(dim: ProblemDim) -> Int { bounds[dim.rawValue] }

  /// Multiply-accumulates of the layer (the product of the seven bounds).
  public var macs: Int { bounds.reduce(1, *) }

  /// The GEMM view (im2col): `m = n·p·q` output pixels, `n = k` filters, `k = c·r·s` reduction.
  public var gemmM: Int { self[.n] * self[.p] * self[.q] }
  /// See ``gemmM``.
  public var gemmN: Int { self[.k] }
  /// See ``gemmM``.
  public var gemmK: Int { self[.c] * self[.r] * self[.s] }

  /// True when the spatial loops are all 1 and the strides 1 (a plain GEMM).
  public var isGEMM: Bool {
    self[.p] == 1 && self[.q] == 1 && self[.r] == 1 && self[.s] == 1
  }

  /// The im2col GEMM with the same MACs: what a systolic array streams (as SCALE-Sim models it).
  public var im2colGEMM: LayerShape {
    // Bounds are positive, so this cannot throw.
    (try? LayerShape.gemm(m: gemmM, n: gemmN, k: gemmK)) ?? self
  }

  /// Input rows touched, `(p − 1)·strideH + r` (the padded input height the layer reads).
  public var inputHeight: Int { (self[.p] - 1) * strideH + self[.r] }
  /// Input columns touched, `(q − 1)·strideW + s`.
  public var inputWidth: Int { (self[.q] - 1) * strideW + self[.s] }

  /// Elements of a tensor.
  /// - Parameter tensor: which tensor.
  public func elements(of tensor: TensorKind) -> Int {
    switch tensor {
    case .input: self[.n] * self[.c] * inputHeight * inputWidth
    case .weight: self[.k] * self[.c] * self[.r] * self[.s]
    case .output: self[.n] * self[.k] * self[.p] * self[.q]
    }
  }
}
