import Tessera

/// A peer library measured on the same operands as Tessera.
protocol PeerLibrary {
  /// The `impl` name in the report, for example `onednn-gemm-u8s8s32`.
  var name: String { get }
  /// Times the peer on one shape.
  /// - Parameters:
  ///   - operands: the shape's operands (the same numbers Tessera multiplies).
  ///   - threads: threads the peer may use.
  ///   - settings: iterations, warm-up and budget.
  /// - Throws: ``PeerError`` when the library rejects the problem.
  func measure(operands: GEMMOperands, threads: Int, settings: BenchmarkSettings) throws -> BenchmarkMeasurement
}

/// A peer library call failed; the message names the call and its status.
struct PeerError: Error, CustomStringConvertible {
  /// One line naming the failing call.
  let description: String
}
