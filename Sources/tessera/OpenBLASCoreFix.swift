import Foundation
import Tessera

/// OpenBLAS 0.3.21 (Debian 12's) does not recognise some newer CPUs (the AVX-512/AVX-VNNI Intel Xeon seen here) and
/// falls back to its `Prescott` (SSE3) kernels, which run float models 4–6× slower than its
/// `Haswell` (AVX2 + FMA) kernels on the same CPU (MLP batch 1: 57–85 µs vs 14.5 µs, measured with
/// `tessera run`). OpenBLAS picks its kernels once, when it loads, from `OPENBLAS_CORETYPE`; so
/// when it chose Prescott on a CPU with AVX2 and FMA and the user set no core type, the command
/// line re-executes itself once with `OPENBLAS_CORETYPE=SkylakeX` on a CPU with AVX-512
/// (F, BW, DQ, VL) or `Haswell` otherwise. On the AVX-512 Xeon seen here SkylakeX runs
/// all-MiniLM-L6-v2 float at sequence 128 in 33.7 ms against Haswell's 62.2 ms and LeNet batch
/// 64 in 4.17 ms against 5.20 ms (MLP batch 1: 21.7 vs 21.8 µs), measured with `tessera bench
/// embed` and `tessera run` on the same build. Set `OPENBLAS_CORETYPE` yourself to override;
/// embedders of the library set it in their own environment.
enum OpenBLASCoreFix {
  /// The core type to ask for on this CPU.
  static var preferredCore: String {
    ["avx512f", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(CPUInfo.current.has) ? "SkylakeX" : "Haswell"
  }

  /// Re-executes the process with a better `OPENBLAS_CORETYPE` when that helps; returns otherwise.
  static func applyIfNeeded() {
    #if os(Linux)
      guard ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
        BLASInfo.coreName.lowercased() == "prescott",
        CPUInfo.current.has("avx2"), CPUInfo.current.has("fma")
      else { return }
      setenv("OPENBLAS_CORETYPE", preferredCore, 1)
      let arguments = CommandLine.arguments
      var pointers = arguments.map { strdup($0) } + [nil]
      execv("/proc/self/exe", &pointers)
      // execv returns only on failure: carry on with the slower kernels.
      unsetenv("OPENBLAS_CORETYPE")
    #endif
  }
}
