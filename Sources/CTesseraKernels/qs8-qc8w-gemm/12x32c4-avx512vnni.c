/*
 * 12x32c4-avx512vnni.c — 12 rows × 32 columns per step, K in groups of 4,
 * vpdpbusd on zmm (2 weight vectors, 24 accumulators). Layout: goi u8w, NR = 32.
 * Calls with few rows (the last tile of M, small batches) run a 4- or 8-row
 * instance of the same body instead of computing 12 rows.
 */
#include "avx512vnni-goi-u8w.h"

#if TSR_GEMM_X86_64
TSR_TARGET_AVX512VNNI TSR_GEMM_UKERNEL(tsr_qs8_qc8w_gemm_minmax_fp32_ukernel_12x32c4__avx512vnni) {
  if (mr <= 4) {
    tsr_avx512vnni_goi_u8w(4, 2, mr, nc, kc, a, a_stride, w, c, c_stride, scale, params);
  } else if (mr <= 8) {
    tsr_avx512vnni_goi_u8w(8, 2, mr, nc, kc, a, a_stride, w, c, c_stride, scale, params);
  } else {
    tsr_avx512vnni_goi_u8w(12, 2, mr, nc, kc, a, a_stride, w, c, c_stride, scale, params);
  }
}
#endif
