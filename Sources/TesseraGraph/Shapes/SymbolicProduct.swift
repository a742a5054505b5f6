/// A product of dimensions kept symbolically: a fixed factor times a multiset of symbols
/// (`784 · batch`). Shape inference uses it for Reshape's `-1`, Flatten and element counts.
struct SymbolicProduct: Equatable {
  /// The product of the fixed dimensions.
  var constant: Int = 1
  /// How many times each symbol occurs.
  var symbols: [String: Int] = [:]
  /// True when the fixed product overflowed `Int` (then nothing exact can be said).
  var overflowed = false

  /// The product of `dims`.
  /// - Parameter dims: dimensions (the empty product is 1).
  init(_ dims: some Sequence<Dimension>) {
    for d in dims {
      switch d {
      case let .fixed(v):
        let (p, o) = constant.multipliedReportingOverflow(by: v)
        constant = p
        overflowed = overflowed || o
      case let .symbol(s): symbols[s, default: 0] += 1
      }
    }
  }

  /// True when no symbol occurs (the product is `constant`).
  var isFixed: Bool { symbols.isEmpty && !overflowed }

  /// `self / divisor` when it is exactly a product of this form: the divisor's symbols all occur
  /// in `self` and its fixed factor divides ours. Nil otherwise (including a zero factor, where
  /// the quotient is not determined).
  /// - Parameter divisor: the product to divide by.
  func dividing(by divisor: SymbolicProduct) -> SymbolicProduct? {
    guard !overflowed, !divisor.overflowed, divisor.constant != 0, constant != 0,
      constant % divisor.constant == 0
    else { return nil }
    var q = SymbolicProduct([])
    q.constant = constant / divisor.constant
    q.symbols = symbols
    for (s, n) in divisor.symbols {
      guard let have = q.symbols[s], have >= n else { return nil }
      q.symbols[s] = have == n ? nil : have - n
    }
    return q
  }

  /// The product as one dimension when it is one: a fixed size, or a single symbol with factor 1.
  /// Nil when it needs a fresh symbol (`2 · s`, `s · t`).
  var dimension: Dimension? {
    if overflowed { return nil }
    if symbols.isEmpty { return .fixed(constant) }
    if constant == 1, symbols.count == 1, let (s, n) = symbols.first, n == 1 { return .symbol(s) }
    return nil
  }
}

/// A small integer tensor (rank 0 or 1) whose elements shape inference knows, possibly as symbols:
/// the output of `Shape`, a constant shape, or a `Gather`/`Concat`/`Unsqueeze` of those. It lets
/// `Reshape(x, Concat(Shape(x)[0], -1))` infer `["batch", 784]`. Elements may be negative
/// (`.fixed(-1)`), unlike a ``Dimension`` of a shape.
struct KnownIntegerValue: Equatable {
  /// The largest element count tracked.
  static let maximumCount = 64

  /// The elements.
  var elements: [Dimension]
  /// True for a rank-0 tensor (one element).
  var isScalar: Bool

  /// Makes a value.
  /// - Parameters:
  ///   - elements: the elements.
  ///   - isScalar: rank 0 (exactly one element) rather than rank 1.
  init(_ elements: [Dimension], isScalar: Bool = false) {
    self.elements = elements
    self.isScalar = isScalar
  }

  /// The value of an integer tensor of rank ≤ 1 and at most ``maximumCount`` elements.
  /// - Parameter tensor: a constant.
  init?(_ tensor: GraphTensor) {
    guard tensor.shape.count <= 1, tensor.count <= Self.maximumCount, tensor.elementType == .int64 || tensor.elementType == .int32,
      let ints = tensor.integers
    else { return nil }
    self.init(ints.map { .fixed($0) }, isScalar: tensor.shape.isEmpty)
  }

  /// The elements when all are fixed.
  var fixed: [Int]? {
    let v = elements.compactMap(\.value)
    return v.count == elements.count ? v : nil
  }
}
