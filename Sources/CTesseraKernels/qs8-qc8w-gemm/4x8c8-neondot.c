/*
 * 4x8c8-neondot.c — 4 rows × 8 columns per step, K in groups of 8, Armv8.2
 * `sdot` (16 accumulators). Layout: goi s8w, NR = 8, KR = 8 (packed by
 * tsr_qs8_qc8w_pack_gemm_goi_s8w; portable twin 4x8c8-scalar.c).
 * Calls with 1 or 2 rows run a 2-row instance of the same body.
 */
#include "neondot-goi-c8.h"

#if TSR_GEMM_ARM64
TSR_TARGET_NEONDOT TSR_GEMM_UKERNEL(tsr_qs8_qc8w_gemm_minmax_fp32_ukernel_4x8c8__neondot) {
  if (mr <= 2) {
    tsr_neondot_goi_c8(2, mr, nc, kc, a, a_stride, w, c, c_stride, scale, params);
  } else {
    tsr_neondot_goi_c8(4, mr, nc, kc, a, a_stride, w, c, c_stride, scale, params);
  }
}
#endif
