/*
 * 12x32c4-avx512vnni.c — 12 rows × 32 columns per step, K in groups of 4,
 * vpdpbusd (u8 activations × s8 weights) on zmm: 24 accumulators, 2 weight
 * vectors, 1 broadcast. Layout: goi-qd8, NR = 32. Calls with few rows (the last
 * tile of M, M = 1…3) run a 4- or 8-row instance of the same body.
 */
#include "avx512vnni-goi.h"

#if TSR_QD8_X86_64
TSR_QD8_TARGET_AVX512VNNI TSR_QD8_GEMM_UKERNEL(tsr_qd8_f32_qc8w_gemm_ukernel_12x32c4__avx512vnni) {
  if (mr <= 4) {
    tsr_qd8_avx512vnni_goi(4, 2, mr, nc, kc, a, a_stride, params, w, c, c_stride);
  } else if (mr <= 8) {
    tsr_qd8_avx512vnni_goi(8, 2, mr, nc, kc, a, a_stride, params, w, c, c_stride);
  } else {
    tsr_qd8_avx512vnni_goi(12, 2, mr, nc, kc, a, a_stride, params, w, c, c_stride);
  }
}
#endif
