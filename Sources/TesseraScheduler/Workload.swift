import Foundation

/// One layer to schedule: its loop bounds, operand bit-widths and sparsity.
public struct Workload: Hashable, Sendable {
  /// Whether the layer was a GEMM (Dense) or a convolution.
  public enum Kind: String, Sendable, Codable { case gemm, conv }

  /// Layer name (from the model, or `gemm`/`conv` for command-line shapes).
  public var name: String
  /// GEMM or convolution.
  public var kind: Kind
  /// Loop bounds.
  public var shape: LayerShape
  /// Bits per input activation.
  public var inputBits: Int
  /// Bits per weight.
  public var weightBits: Int
  /// Bits per final output value.
  public var outputBits: Int
  /// Fraction of weights that are non-zero, in (0, 1].
  public var weightDensity: Double
  /// The zero pattern the weights satisfy (``SparsityStructure/detect(nonzero:columns:)``);
  /// hardware with 2:4 support skips zeros only for `twoFour` layers.
  public var weightStructure: SparsityStructure = .unstructured

  /// Makes a workload.
  /// - Parameters:
  ///   - name: layer name.
  ///   - kind: GEMM or convolution.
  ///   - shape: loop bounds.
  ///   - inputBits: bits per input value (1...32).
  ///   - weightBits: bits per weight (1...32).
  ///   - outputBits: bits per output value (1...32).
  ///   - weightDensity: non-zero fraction of the weights, in (0, 1].
  /// - Throws: ``SchedulerError/invalidWorkload(_:)`` for bit-widths or densities out of range.
  public init(
    name: String, kind: Kind, shape: LayerShape,
    inputBits: Int = 8, weightBits: Int = 8, outputBits: Int = 8, weightDensity: Double = 1
  ) throws {
    for (what, bits) in [("input", inputBits), ("weight", weightBits), ("output", outputBits)]
    where !(1...32).contains(bits) {
      throw SchedulerError.invalidWorkload("\(name): \(what) bit-width \(bits) is outside 1...32")
    }
    guard weightDensity > 0, weightDensity <= 1 else {
      throw SchedulerError.invalidWorkload("\(name): weight density \(weightDensity) is outside (0, 1]")
    }
    self.name = name
    self.kind = kind
    self.shape = shape
    self.inputBits = inputBits
    self.weightBits = weightBits
    self.outputBits = outputBits
    self.weightDensity = weightDensity
  }

  /// Parses `--gemm M,N,K`.
  /// - Parameter text: three positive integers separated by commas.
  /// - Throws: ``SchedulerError/invalidWorkload(_:)`` naming the bad field.
  public static func parseGEMM(_ text: String) throws -> Workload {
    let v = try integers(text, option: "--gemm", count: 3...3)
    return try Workload(name: "gemm", kind: .gemm, shape: .gemm(m: v[0], n: v[1], k: v[2]))
  }

  /// Parses `--conv N,C,H,W,K,R,S[,stride,pad]` (stride 1 and no padding by default).
  /// - Parameter text: seven or nine integers separated by commas.
  /// - Throws: ``SchedulerError/invalidWorkload(_:)`` naming the bad field.
  public static func parseConv(_ text: String) throws -> Workload {
    let v = try integers(text, option: "--conv", count: 7...9)
    guard v.count != 8 else {
      throw SchedulerError.invalidWorkload("--conv takes N,C,H,W,K,R,S or N,C,H,W,K,R,S,stride,pad (got 8 values)")
    }
    let shape = try LayerShape.conv(
      batch: v[0], channels: v[1], height: v[2], width: v[3], filters: v[4],
      filterHeight: v[5], filterWidth: v[6], stride: v.count > 7 ? v[7] : 1, padding: v.count > 8 ? v[8] : 0)
    return try Workload(name: "conv", kind: .conv, shape: shape)
  }

  private static func integers(_ text: String, option: String, count: ClosedRange<Int>) throws -> [Int] {
    let fields = text.split(separator: ",", omittingEmptySubsequences: false).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    guard count.contains(fields.count) else {
      throw SchedulerError.invalidWorkload("\(option) '\(text)' needs \(count.lowerBound == count.upperBound ? "\(count.lowerBound)" : "\(count.lowerBound)–\(count.upperBound)") comma-separated integers")
    }
    return try fields.enumerated().map { index, field in
      guard let value = Int(field) else {
        throw SchedulerError.invalidWorkload("\(option) field \(index + 1) '\(field)' is not an integer")
      }
      return value
    }
  }

  /// The same layer lowered to its im2col GEMM (what systolic arrays stream).
  public var loweredToGEMM: Workload {
    var copy = self
    copy.shape = shape.im2colGEMM
    return copy
  }
}
