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

  func prepare(operands: GEMMOperands, threads: Int) throws -> PreparedBenchmark {
    Self.setOpenMPThreads(threads)
    let call = Call(operands: operands)
    let status = call.run()
    guard status == dnnl_success else {
      throw PeerError(description: "dnnl_gemm_u8s8s32 on \(operands.shape) failed with status \(status.rawValue)")
    }
    return PreparedBenchmark(name: name) { _ = call.run() }
  }

  /// The converted operands and the int32 output, owned for the life of the benchmark.
  final class Call {
    let shape: GEMMShape
    let a: [UInt8]
    let weights: [Int8]
    let c: UnsafeMutablePointer<Int32>
    var offset: Int32 = 0

    init(operands: GEMMOperands) {
      shape = operands.shape
      a = operands.activations.map { UInt8(bitPattern: $0) ^ 0x80 }  // a + 128 as u8
      weights = operands.weights.scalars
      c = .allocate(capacity: shape.m * shape.n)
      c.initialize(repeating: 0, count: shape.m * shape.n)
    }

    deinit { c.deallocate() }

    /// C[m × n] = (A − 128)[m × k] · Wᵀ, W stored n × k (transb = 'T').
    func run() -> dnnl_status_t {
      let (m, n, k) = (Int64(shape.m), Int64(shape.n), Int64(shape.k))
      return a.withUnsafeBufferPointer { aBuf in
        weights.withUnsafeBufferPointer { wBuf in
          dnnl_gemm_u8s8s32(
            OneDNNPeer.char("N"), OneDNNPeer.char("T"), OneDNNPeer.char("F"), m, n, k, 1, aBuf.baseAddress, k, 128,
            wBuf.baseAddress, k, 0, 0, c, n, &offset)
        }
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
