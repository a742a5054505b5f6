/*
 * 6x16c4-avxvnni.c — 6 rows × 16 columns per step, K in groups of 4,
 * VEX vpdpbusd on ymm (12 accumulators + 2 weight vector(s) + 1 broadcast).
 * Layout: goi u8w, NR = 16 (scalar twin 4x16c4). Calls with ≤ 3 rows run a
 * 3-row instance of the same body instead of computing 6 rows.
 */
#include "avxvnni-goi-u8w.h"

#if TSR_GEMM_X86_64
TSR_TARGET_AVXVNNI TSR_GEMM_UKERNEL(tsr_qs8_qc8w_gemm_minmax_fp32_ukernel_6x16c4__avxvnni) {
  if (mr <= 3) {
    tsr_avxvnni_goi_u8w(3, 2, mr, nc, kc, a, a_stride, w, c, c_stride, scale, params);
  } else {
    tsr_avxvnni_goi_u8w(6, 2, mr, nc, kc, a, a_stride, w, c, c_stride, scale, params);
  }
}
#endif
