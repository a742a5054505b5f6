import Foundation
import TesseraGraph

extension ONNXConformance {
  /// The tolerances of the float comparison: an element matches when |got − expected| ≤
  /// `absolute` + `relative` · |expected| (the ONNX backend tests' own rule, `numpy.testing.assert_allclose`).
  public struct Tolerance: Sendable, Equatable {
    /// rtol.
    public var relative: Double
    /// atol.
    public var absolute: Double

    /// Makes tolerances.
    /// - Parameters:
    ///   - relative: rtol.
    ///   - absolute: atol.
    public init(relative: Double, absolute: Double) {
      self.relative = relative
      self.absolute = absolute
    }

    /// rtol 1e-4, atol 1e-5.
    public static let standard = Tolerance(relative: 1e-4, absolute: 1e-5)
  }

  /// Compares a computed tensor with the expected one.
  ///
  /// Element types and shapes must be equal. Float elements match within `tolerance`, NaN matches
  /// NaN and an infinity only the same infinity; integer and boolean elements must be equal.
  /// - Parameters:
  ///   - got: the computed tensor.
  ///   - expected: the reference tensor.
  ///   - tolerance: the float tolerances.
  /// - Returns: nil when they match, else one line: how many elements differ, the largest
  ///   absolute and relative errors and where (`[i, j]`), with the values there.
  /// - Complexity: O(elements).
  public static func mismatch(_ got: GraphTensor, _ expected: GraphTensor, tolerance: Tolerance = .standard) -> String? {
    guard got.elementType == expected.elementType else {
      return "element type \(got.elementType), expected \(expected.elementType)"
    }
    guard got.shape == expected.shape else { return "shape \(got.shape), expected \(expected.shape)" }
    let exact = !expected.elementType.isFloatingPoint
    let a = got.doubles
    let b = expected.doubles
    var bad = 0
    var firstBad: Int?
    var worstAbs = (error: 0.0, index: 0)
    var worstRel = (error: 0.0, index: 0)
    for i in a.indices {
      let x = a[i]
      let y = b[i]
      if x == y || (x.isNaN && y.isNaN) { continue }
      // A NaN or an infinity matches only itself (checked above).
      let special = !x.isFinite || !y.isFinite
      let abs = special ? Double.infinity : Swift.abs(x - y)
      let rel = special || y == 0 ? Double.infinity : abs / Swift.abs(y)
      if abs > worstAbs.error { worstAbs = (abs, i) }
      if rel > worstRel.error { worstRel = (rel, i) }
      if exact || special || abs > tolerance.absolute + tolerance.relative * Swift.abs(y) {
        bad += 1
        firstBad = firstBad ?? i
      }
    }
    guard bad > 0, let firstBad else { return nil }
    let digits = expected.elementType == .float32 ? 7 : 15
    func text(_ x: Double) -> String { exact ? "\(Int(x))" : String(format: "%.\(digits)g", x) }
    func at(_ i: Int) -> String { "\(multiIndex(i, shape: expected.shape)) (got \(text(a[i])), expected \(text(b[i])))" }
    if exact { return "\(bad) of \(a.count) elements differ; first at \(at(firstBad))" }
    return "\(bad) of \(a.count) elements off; max abs error \(short(worstAbs.error)) at \(at(worstAbs.index)), "
      + "max rel error \(short(worstRel.error)) at \(at(worstRel.index))"
  }

  /// The row-major multi-index of flat index `i` in `shape`, as `[i, j, …]`.
  static func multiIndex(_ i: Int, shape: [Int]) -> String {
    var rest = i
    var index = [Int](repeating: 0, count: shape.count)
    for axis in shape.indices.reversed() where shape[axis] > 0 {
      index[axis] = rest % shape[axis]
      rest /= shape[axis]
    }
    return "\(index)"
  }

  /// A number with 3 significant digits (`0.00123`, `1.5e+07`, `inf`).
  static func short(_ x: Double) -> String { String(format: "%.3g", x) }
}
