/*
 * tessera_peak.h — measured single-thread instruction peaks.
 *
 * Each kind runs one instruction sequence in a tight loop of >= 12 independent
 * accumulator chains (inline asm, so the compiler can neither fold nor
 * re-vectorize it) and reports the measured rate in GOP/s, where one
 * multiply-accumulate counts as 2 operations. These are the denominators of
 * "% of peak" figures: a kernel's GOP/s divided by the peak of its ISA.
 */
#ifndef TESSERA_PEAK_H
#define TESSERA_PEAK_H

#ifdef __cplusplus
extern "C" {
#endif

/** The instruction sequences that can be measured. */
typedef enum tsr_peak_kind {
  /** Scalar int32 multiply-add (x86 imul + add, AArch64 madd), as the scalar kernels do: 1 MAC. */
  TSR_PEAK_SCALAR = 0,
  /** fp32 FMA on ymm (vfmadd231ps): 8 MACs per instruction. */
  TSR_PEAK_FP32_AVX2 = 1,
  /** fp32 FMA on zmm (vfmadd231ps): 16 MACs per instruction. */
  TSR_PEAK_FP32_AVX512 = 2,
  /**
   * int8 on ymm, the AVX2 GEMV kernels' exact step: vpmovsxbw (16 int8
   * weights from L1 to int16) + vpmaddwd + vpaddd = 16 MACs per step.
   */
  TSR_PEAK_INT8_AVX2 = 3,
  /** int8 on zmm with AVX-512 VNNI: vpdpbusd = 64 u8×s8 MACs per instruction. */
  TSR_PEAK_INT8_AVX512VNNI = 4,
  /** int8 on ymm with AVX-VNNI (VEX encoding): vpdpbusd = 32 u8×s8 MACs per instruction. */
  TSR_PEAK_INT8_AVXVNNI = 5,
  /**
   * int8 on Intel AMX tiles: tdpbusd on 16 × 64-byte tiles = 16·16·64 = 16,384
   * u8×s8 MACs per instruction (6 accumulator tiles, the 8 tiles' maximum).
   */
  TSR_PEAK_INT8_AMX = 6,
  TSR_PEAK_COUNT = 7
} tsr_peak_kind;

/** 1 when this build contains the kind and the running CPU (and OS) can execute it. */
int tsr_peak_supported(tsr_peak_kind kind);

/** Short stable name, e.g. "int8-avx512vnni"; "unknown" for an invalid kind. */
const char* tsr_peak_name(tsr_peak_kind kind);

/**
 * Measures one thread for at least min_seconds (clamped to >= 0.01 s) and
 * returns the best rate over ~10 ms slices in GOP/s (2 × MACs / s), or 0 when
 * the kind is unsupported.
 */
double tsr_peak_gops(tsr_peak_kind kind, double min_seconds);

#ifdef __cplusplus
}
#endif

#endif /* TESSERA_PEAK_H */
