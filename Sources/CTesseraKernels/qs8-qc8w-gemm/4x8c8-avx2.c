/*
 * 4x8c8-avx2.c — 4 rows × 8 columns per step, K in groups of 8, exact int16
 * vpmaddwd on ymm (16 accumulators). Layout: goi s8w, NR = 8, KR = 8.
 * Calls with 1 or 2 rows run a 2-row instance of the same body.
 */
#include "avx2-goi-s8w.h"

#if TSR_GEMM_X86_64
TSR_TARGET_AVX2 TSR_GEMM_UKERNEL(tsr_qs8_qc8w_gemm_minmax_fp32_ukernel_4x8c8__avx2) {
  if (mr <= 2) {
    tsr_avx2_goi_s8w(2, mr, nc, kc, a, a_stride, w, c, c_stride, scale, params);
  } else {
    tsr_avx2_goi_s8w(4, mr, nc, kc, a, a_stride, w, c, c_stride, scale, params);
  }
}
#endif
