import Tessera

/// A peer library measured on the same operands as Tessera.
protocol PeerLibrary {
  /// The `impl` name in the report, for example `onednn-gemm-u8s8s32`.
  var name: String { get }
  /// Sets the library up for one shape (handles, converted operands, thread count) and
  /// returns the call to time.
  /// - Parameters:
  ///   - operands: the shape's operands (the same numbers Tessera multiplies).
  ///   - threads: threads the peer may use.
  /// - Throws: ``PeerError`` when the library rejects the problem.
  func prepare(operands: GEMMOperands, threads: Int) throws -> PreparedBenchmark
}

/// A peer library call failed; the message names the call and its status.
struct PeerError: Error, CustomStringConvertible {
  /// One line naming the failing call.
  let description: String
}
