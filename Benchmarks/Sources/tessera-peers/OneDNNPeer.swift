import CDNNL
import Tessera

#if canImport(Glibc)
import Glibc
#endif

/// oneDNN's `dnnl_gemm_u8s8s32`: u8 activations × s8 weights → int32 (no requantization,
/// so it does a little less work per output than Tessera's fused int8 epilogue).
///
/// Activations are Tessera's int8 values shifted to u8 (+128) with `ao = 128`, so the
/// product is the same. Debian's oneDNN uses OpenMP; its thread count is set with
/// `omp_set_num_threads` (found at run time in the libgomp that oneDNN loads) and
/// `OMP_NUM_THREADS` in scripts/bench-peers.sh.
struct OneDNNPeer: PeerLibrary {
  let name = "onednn-gemm-u8s8s32"

  func measure(operands: GEMMOperands, threads: Int, settings: BenchmarkSettings) throws -> BenchmarkMeasurement {
    Self.setOpenMPThreads(threads)
    let shape = operands.shape
    let a = operands.activations.map { UInt8(bitPattern: $0) ^ 0x80 }  // a + 128 as u8
    var c = [Int32](repeating: 0, count: shape.m * shape.n)
    var offset: Int32 = 0
    let call: (UnsafeMutablePointer<Int32>) -> dnnl_status_t = { out in
      a.withUnsafeBufferPointer { aBuf in
        operands.weights.withUnsafeBufferPointer { wBuf in
          // C[m × n] = (A − 128)[m × k] · Wᵀ, W stored n × k (transb = 'T').
          dnnl_gemm_u8s8s32(
            Self.char("N"), Self.char("T"), Self.char("F"), Int64(shape.m), Int64(shape.n), Int64(shape.k), 1,
            aBuf.baseAddress, Int64(shape.k), 128, wBuf.baseAddress, Int64(shape.k), 0, 0, out, Int64(shape.n),
            &offset)
        }
      }
    }
    return try c.withUnsafeMutableBufferPointer { out in
      let status = call(out.baseAddress!)
      guard status == dnnl_success else {
        throw PeerError(description: "dnnl_gemm_u8s8s32 on \(shape) failed with status \(status.rawValue)")
      }
      return try BenchmarkHarness.measure(operationCount: shape.operationCount, settings: settings) {
        _ = call(out.baseAddress!)
      }
    }
  }

  static func char(_ letter: Unicode.Scalar) -> CChar { CChar(UInt8(ascii: letter)) }

  /// Calls libgomp's `omp_set_num_threads` if it is loaded (it is once oneDNN is linked).
  static func setOpenMPThreads(_ threads: Int) {
    #if canImport(Glibc)
    typealias SetThreads = @convention(c) (Int32) -> Void
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "omp_set_num_threads") else { return }
    unsafeBitCast(symbol, to: SetThreads.self)(Int32(threads))
    #endif
  }
}
