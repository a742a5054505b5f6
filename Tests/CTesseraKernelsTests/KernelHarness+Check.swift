import CTesseraKernels

/// Runs kernels and the scalar reference on a ``GemmProblem`` and compares every output byte.
extension GemmProblem {
  /// The rows × cols output of `kernel` for the first m rows, n columns and k inputs, computed
  /// with one micro-kernel call (m ≤ MR) or the blocking driver over `blocks` (row cuts ×
  /// column cuts), compared with the reference. Returns nil when identical, else a description
  /// of the first differing byte.
  func mismatch(
    kernel: UnsafePointer<tsr_qs8_kernel>, m: Int, n: Int, k: Int, q: Quantization,
    rowCuts: [Int]? = nil, colCuts: [Int]? = nil
  ) -> String? {
    let entry = kernel.pointee
    let cStride = n + 3
    var c = [Int8](repeating: 0x5A, count: m * cStride)
    var expected = c
    let packedBytes = tsr_qs8_qc8w_packed_size(kernel, n, k)
    let packed = UnsafeMutableRawPointer.allocate(byteCount: max(packedBytes, 64), alignment: 64)
    defer { packed.deallocate() }
    var params = q.params
    w.withUnsafeBufferPointer { w in
      bias.withUnsafeBufferPointer { bias in
        entry.pack!(n, k, Int(entry.nr), Int(entry.kr), w.baseAddress, wStride,
                   q.useBias ? bias.baseAddress : nil, q.inputZeroPoint, packed)
        a.withUnsafeBufferPointer { a in
          scale.withUnsafeBufferPointer { scale in
            c.withUnsafeMutableBufferPointer { c in
              if let rowCuts, let colCuts {
                for bi in 0..<rowCuts.count - 1 {
                  for bj in 0..<colCuts.count - 1 {
                    tsr_qs8_qc8w_gemm_run(kernel, rowCuts[bi], rowCuts[bi + 1], colCuts[bj], colCuts[bj + 1], k,
                                          a.baseAddress, aStride, packed, c.baseAddress, cStride,
                                          scale.baseAddress, &params)
                  }
                }
              } else if m <= Int(entry.mr) {
                entry.ukernel!(m, n, k, a.baseAddress, aStride, packed, c.baseAddress, cStride,
                              scale.baseAddress, &params)
              } else {
                tsr_qs8_qc8w_gemm_run(kernel, 0, m, 0, n, k, a.baseAddress, aStride, packed,
                                      c.baseAddress, cStride, scale.baseAddress, &params)
              }
            }
            expected.withUnsafeMutableBufferPointer { e in
              tsr_qs8_qc8w_gemm_reference(m, n, k, a.baseAddress, aStride, q.inputZeroPoint,
                                          w.baseAddress, wStride, q.useBias ? bias.baseAddress : nil,
                                          e.baseAddress, cStride, scale.baseAddress, &params)
            }
          }
        }
      }
    }
    guard let at = c.indices.first(where: { c[$0] != expected[$0] }) else { return nil }
    return "m=\(m) n=\(n) k=\(k) a_zp=\(q.inputZeroPoint) c_zp=\(q.params.output_zero_point) "
      + "[\(q.params.output_min), \(q.params.output_max)] bias=\(q.useBias): "
      + "C[\(at / cStride)][\(at % cStride)] = \(c[at]), expected \(expected[at])"
  }
}

/// Smallest prime ≥ x (A row strides padded to a prime so rows start at every alignment).
func nextPrime(_ x: Int) -> Int {
  var p = max(x, 2)
  while (2...max(2, Int(Double(p).squareRoot()))).contains(where: { $0 < p && p % $0 == 0 }) { p += 1 }
  return p
}
