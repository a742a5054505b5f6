import CXNNPACK
import Tessera

/// XNNPACK's qs8 fully-connected operator (Debian's 2022 snapshot): int8 activations ×
/// int8 weights with one per-tensor weight scale → requantized int8, the closest match to
/// Tessera's fused GEMM (Tessera's scales are per channel; the work per output is the same).
///
/// One thread runs with a NULL thread pool, more with a `pthreadpool` of that size.
struct XNNPACKPeer: PeerLibrary {
  let name = "xnnpack-fc-qs8"

  func prepare(operands: GEMMOperands, threads: Int) throws -> PreparedBenchmark {
    try Self.check(xnn_initialize(nil), "xnn_initialize")
    let call = try Call(operands: operands, threads: threads)
    try Self.check(xnn_run_operator(call.op, call.pool), "xnn_run_operator")
    return PreparedBenchmark(name: name) { _ = xnn_run_operator(call.op, call.pool) }
  }

  /// The operator, its thread pool and buffers, released with the benchmark.
  final class Call {
    let op: xnn_operator_t
    let pool: pthreadpool_t?
    let input: UnsafeMutablePointer<Int8>
    let output: UnsafeMutablePointer<Int8>

    init(operands: GEMMOperands, threads: Int) throws {
      let shape = operands.shape
      var created: xnn_operator_t?
      try operands.weights.withUnsafeBufferPointer { w in
        try operands.bias.withUnsafeBufferPointer { bias in
          try XNNPACKPeer.check(
            xnn_create_fully_connected_nc_qs8(
              shape.k, shape.n, shape.k, shape.n, Int8(operands.inputZeroPoint), 1, operands.requantization.scales[0],
              w.baseAddress, bias.baseAddress, -2, 1, -128, 127, 0, &created),
            "xnn_create_fully_connected_nc_qs8")
        }
      }
      guard let created else { throw PeerError(description: "xnn_create_fully_connected_nc_qs8 returned no operator") }
      op = created
      pool = threads > 1 ? pthreadpool_create(threads) : nil
      // XNNPACK may read XNN_EXTRA_BYTES past the end of the input.
      let inputCount = operands.activations.count + Int(XNN_EXTRA_BYTES)
      let input = UnsafeMutablePointer<Int8>.allocate(capacity: inputCount)
      input.initialize(repeating: 0, count: inputCount)
      operands.activations.withUnsafeBufferPointer { input.update(from: $0.baseAddress!, count: $0.count) }
      let output = UnsafeMutablePointer<Int8>.allocate(capacity: shape.m * shape.n)
      output.initialize(repeating: 0, count: shape.m * shape.n)
      self.input = input
      self.output = output
      try XNNPACKPeer.check(
        xnn_setup_fully_connected_nc_qs8(op, shape.m, input, output, pool), "xnn_setup_fully_connected_nc_qs8")
    }

    deinit {
      xnn_delete_operator(op)
      if let pool { pthreadpool_destroy(pool) }
      input.deallocate()
      output.deallocate()
    }
  }

  static func check(_ status: xnn_status, _ call: String) throws {
    guard status == xnn_status_success else {
      throw PeerError(description: "\(call) failed with xnn_status \(status.rawValue)")
    }
  }
}
