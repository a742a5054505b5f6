/*
 * 8x8c8-neoni8mm.c — 8 rows × 8 columns per step, K in groups of 8, Armv8.6
 * `smmla` (16 accumulators of 2×2 blocks). Layout: goi s8w, NR = 8, KR = 8
 * (packed by tsr_qs8_qc8w_pack_gemm_goi_s8w; portable twin 4x8c8-scalar.c).
 * Calls with fewer rows run a 2- or 4-row instance of the same body, so a
 * batch-1 call (the GEMV fallback of this ISA) does one smmla per 16 weight
 * bytes, as many useful multiply-adds per instruction as sdot.
 */
#include "neoni8mm-goi-c8.h"

#if TSR_GEMM_ARM64
TSR_TARGET_NEONI8MM TSR_GEMM_UKERNEL(tsr_qs8_qc8w_gemm_minmax_fp32_ukernel_8x8c8__neoni8mm) {
  if (mr <= 2) {
    tsr_neoni8mm_goi_c8(2, mr, nc, kc, a, a_stride, w, c, c_stride, scale, params);
  } else if (mr <= 4) {
    tsr_neoni8mm_goi_c8(4, mr, nc, kc, a, a_stride, w, c, c_stride, scale, params);
  } else {
    tsr_neoni8mm_goi_c8(8, mr, nc, kc, a, a_stride, w, c, c_stride, scale, params);
  }
}
#endif
