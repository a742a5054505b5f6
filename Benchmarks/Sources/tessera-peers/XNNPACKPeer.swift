import CXNNPACK
import Tessera

/// XNNPACK's qs8 fully-connected operator (Debian's 2022 snapshot): int8 activations ×
/// int8 weights with one per-tensor weight scale → requantized int8, the closest match to
/// Tessera's fused GEMM (Tessera's scales are per channel; the work per output is the same).
///
/// One thread runs with a NULL thread pool, more with a `pthreadpool` of that size.
struct XNNPACKPeer: PeerLibrary {
  let name = "xnnpack-fc-qs8"

  func measure(operands: GEMMOperands, threads: Int, settings: BenchmarkSettings) throws -> BenchmarkMeasurement {
    try Self.check(xnn_initialize(nil), "xnn_initialize")
    let shape = operands.shape
    let scale = operands.requantization.scales[0]
    var op: xnn_operator_t?
    try operands.weights.withUnsafeBufferPointer { w in
      try operands.bias.withUnsafeBufferPointer { bias in
        try Self.check(
          xnn_create_fully_connected_nc_qs8(
            shape.k, shape.n, shape.k, shape.n, Int8(operands.inputZeroPoint), 1, scale, w.baseAddress,
            bias.baseAddress, -2, 1, -128, 127, 0, &op),
          "xnn_create_fully_connected_nc_qs8")
      }
    }
    defer { xnn_delete_operator(op) }
    let pool: pthreadpool_t? = threads > 1 ? pthreadpool_create(threads) : nil
    defer { if let pool { pthreadpool_destroy(pool) } }
    // XNNPACK may read XNN_EXTRA_BYTES past the end of the input.
    var input = operands.activations + [Int8](repeating: 0, count: Int(XNN_EXTRA_BYTES))
    var output = [Int8](repeating: 0, count: shape.m * shape.n)
    return try input.withUnsafeMutableBufferPointer { a in
      try output.withUnsafeMutableBufferPointer { c in
        try Self.check(
          xnn_setup_fully_connected_nc_qs8(op, shape.m, a.baseAddress, c.baseAddress, pool),
          "xnn_setup_fully_connected_nc_qs8")
        try Self.check(xnn_run_operator(op, pool), "xnn_run_operator")
        return try BenchmarkHarness.measure(operationCount: shape.operationCount, settings: settings) {
          _ = xnn_run_operator(op, pool)
        }
      }
    }
  }

  static func check(_ status: xnn_status, _ call: String) throws {
    guard status == xnn_status_success else {
      throw PeerError(description: "\(call) failed with xnn_status \(status.rawValue)")
    }
  }
}
