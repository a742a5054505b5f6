import Foundation

/// The reductions: ReduceSum, ReduceMean, ReduceMax, ReduceMin, ReduceProd, ReduceL1, ReduceL2,
/// ReduceSumSquare, ReduceLogSum, ReduceLogSumExp.
enum Reduction: String {
  case sum = "ReduceSum", mean = "ReduceMean", max = "ReduceMax", min = "ReduceMin", prod = "ReduceProd"
  case l1 = "ReduceL1", l2 = "ReduceL2", sumSquare = "ReduceSumSquare", logSum = "ReduceLogSum"
  case logSumExp = "ReduceLogSumExp"

  /// The first opset whose definition takes `axes` as an optional input (before: an attribute)
  /// and has `noop_with_empty_axes`.
  var axesInputOpset: Int { self == .sum ? 13 : 18 }

  /// The value of a reduction over no elements (the start of the accumulation).
  var identity: Double {
    switch self {
    case .max, .logSumExp: -.infinity
    case .min: .infinity
    case .prod: 1
    default: 0
    }
  }

  /// Each element's contribution, before accumulation.
  func term(_ x: Double) -> Double {
    switch self {
    case .l1: Swift.abs(x)
    case .l2, .sumSquare: x * x
    default: x
    }
  }

  /// Accumulates one term (NaN wins in max and min, as numpy).
  func combine(_ a: Double, _ b: Double) -> Double {
    switch self {
    case .max: a.isNaN || b.isNaN ? .nan : Swift.max(a, b)
    case .min: a.isNaN || b.isNaN ? .nan : Swift.min(a, b)
    case .prod: a * b
    default: a + b
    }
  }

  /// The result from the accumulated value over `count` elements.
  func finish(_ a: Double, count: Int) -> Double {
    switch self {
    case .mean: a / Double(count)
    case .l2: a.squareRoot()
    case .logSum: Foundation.log(a)
    default: a
    }
  }
}

extension OperatorKernels {
  /// The axes a reduction runs over: the `axes` attribute before ``Reduction/axesInputOpset``,
  /// the optional input 1 from it. None or empty means every axis, or no axis at all with
  /// `noop_with_empty_axes` 1 (which then applies the element-wise part: ReduceSumSquare squares,
  /// ReduceL1 and ReduceL2 take magnitudes, ReduceLogSum takes logarithms).
  static func reductionAxes(_ c: KernelContext, _ reduction: Reduction, rank: Int) throws -> [Int] {
    let asInput = c.opset >= reduction.axesInputOpset
    let listed = try asInput ? c.optionalInput(1).map { try c.integerList($0, "axes") } : c.ints("axes")
    if let listed, !listed.isEmpty { return try c.axes(listed, rank: rank) }
    let noop = try asInput && c.int("noop_with_empty_axes", 0) != 0
    return noop ? [] : Array(0..<rank)
  }

  /// A reduction of `data` over its axes (``reductionAxes(_:_:rank:)``), keeping them as size-1
  /// dimensions with `keepdims` 1 (default), dropping them with 0.
  ///
  /// Floats accumulate in double and round once. Integers: Sum, Prod, Max, Min, L1 and SumSquare
  /// are exact wrapping int64 arithmetic (wrapped to the type), Mean truncates the exact sum's
  /// quotient toward zero, L2/LogSum/LogSumExp go through double and truncate. Bool takes Max and
  /// Min (opset 20). Over no elements the result is the identity: 0 for sums, 1 for Prod, −∞ for
  /// Max and LogSumExp, +∞ for Min, NaN for Mean (0/0), −∞ for LogSum.
  static func reduce(_ c: KernelContext, _ reduction: Reduction) throws -> GraphTensor {
    let x = try c.input(0, "data")
    if x.elementType == .bool, reduction != .max, reduction != .min {
      throw c.error("'data' is bool; only ReduceMax and ReduceMin take bool")
    }
    let rank = x.shape.count
    let axes = Set(try reductionAxes(c, reduction, rank: rank))
    let reducedShape = x.shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
    let keepDims = try c.int("keepdims", 1) != 0
    let shape = keepDims ? reducedShape : x.shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
    let count = axes.reduce(1) { $0 * x.shape[$1] }
    // Where each input element lands in the reduced output (stride 0 along the reduced axes).
    let outStrides = TensorLayout.strides(reducedShape)
    let target = TensorLayout.offsets(shape: x.shape, strides: (0..<rank).map { axes.contains($0) ? 0 : outStrides[$0] })
    let outCount = TensorLayout.product(reducedShape)

    if let ints = x.integers, [.sum, .prod, .max, .min, .l1, .sumSquare, .mean].contains(reduction) {
      let start: Int =
        switch reduction {
        case .prod: 1
        case .max: .min
        case .min: .max
        default: 0
        }
      var acc = [Int](repeating: start, count: outCount)
      for (i, o) in target.enumerated() {
        let v = ints[i]
        switch reduction {
        case .prod: acc[o] = acc[o] &* v
        case .max: acc[o] = Swift.max(acc[o], v)
        case .min: acc[o] = Swift.min(acc[o], v)
        case .l1: acc[o] = acc[o] &+ (v < 0 ? 0 &- v : v)
        case .sumSquare: acc[o] = acc[o] &+ v &* v
        default: acc[o] = acc[o] &+ v
        }
      }
      if reduction == .mean {
        guard count > 0 else { throw c.error("ReduceMean of an integer tensor over no elements") }
        acc = acc.map { $0 / count }
      }
      return try c.tensor(converted(.int64(acc.map { Int64($0) }), to: x.elementType), shape)
    }

    let values = x.doubles
    var acc = [Double](repeating: reduction.identity, count: outCount)
    if reduction == .logSumExp {
      // log Σ exp(x) = m + log Σ exp(x − m) with m the group's maximum, so exp cannot overflow.
      var top = [Double](repeating: -.infinity, count: outCount)
      for (i, o) in target.enumerated() { top[o] = Reduction.max.combine(top[o], values[i]) }
      var sum = [Double](repeating: 0, count: outCount)
      for (i, o) in target.enumerated() { sum[o] += top[o].isFinite ? Foundation.exp(values[i] - top[o]) : Foundation.exp(values[i]) }
      acc = (0..<outCount).map { top[$0].isFinite ? top[$0] + Foundation.log(sum[$0]) : Foundation.log(sum[$0]) }
    } else {
      for (i, o) in target.enumerated() { acc[o] = reduction.combine(acc[o], reduction.term(values[i])) }
      acc = acc.map { reduction.finish($0, count: count) }
    }
    return try c.tensor(converted(.float64(acc), to: x.elementType), shape)
  }
}
