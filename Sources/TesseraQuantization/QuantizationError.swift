/// Errors thrown while calibrating, quantizing, loading or checking a quantized model.
///
/// Every case prints as a one-line message naming the problem (``description``).
public enum QuantizationError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A scale was zero, negative, infinite or NaN (`what` names the tensor or layer).
  case invalidScale(what: String, value: Float)
  /// A zero point lay outside the integer grid it belongs to.
  case invalidZeroPoint(what: String, value: Int32, range: ClosedRange<Int32>)
  /// A bit width outside what the scheme supports (weights 2…8, activations 8).
  case unsupportedBitWidth(what: String, bits: Int)
  /// Calibration or weight data contained NaN or infinity.
  case nonFiniteValue(what: String)
  /// An observer was asked for a range before it saw any value.
  case emptyObserver(what: String)
  /// Data of the wrong shape (calibration samples, activations, weights).
  case shapeMismatch(what: String, expected: [Int], got: [Int])
  /// The model graph and its tensors disagree, or a layer is unsupported.
  case invalidModel(String)
  /// An argument outside its valid range.
  case invalidArgument(String)

  /// A one-line human-readable message.
  public var description: String {
    switch self {
    case let .invalidScale(what, value):
      "\(what): scale \(value) is not a positive finite number"
    case let .invalidZeroPoint(what, value, range):
      "\(what): zero point \(value) is outside \(range.lowerBound)...\(range.upperBound)"
    case let .unsupportedBitWidth(what, bits):
      "\(what): \(bits)-bit quantization is not supported (weights 2...8 bits, activations 8)"
    case let .nonFiniteValue(what):
      "\(what): contains NaN or infinity"
    case let .emptyObserver(what):
      "\(what): observer saw no values"
    case let .shapeMismatch(what, expected, got):
      "\(what): expected shape \(expected), got \(got)"
    case let .invalidModel(message):
      message
    case let .invalidArgument(message):
      message
    }
  }
}
