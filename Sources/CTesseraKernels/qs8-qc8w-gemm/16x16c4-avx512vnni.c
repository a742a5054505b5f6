/*
 * 16x16c4-avx512vnni.c — 16 rows × 16 columns per step, K in groups of 4,
 * vpdpbusd on zmm (1 weight vector, 16 accumulators). Layout: goi u8w, NR = 16.
 * Calls with few rows run a 4-, 8- or 12-row instance of the same body.
 */
#include "avx512vnni-goi-u8w.h"

#if TSR_GEMM_X86_64
TSR_TARGET_AVX512VNNI TSR_GEMM_UKERNEL(tsr_qs8_qc8w_gemm_minmax_fp32_ukernel_16x16c4__avx512vnni) {
  if (mr <= 4) {
    tsr_avx512vnni_goi_u8w(4, 1, mr, nc, kc, a, a_stride, w, c, c_stride, scale, params);
  } else if (mr <= 8) {
    tsr_avx512vnni_goi_u8w(8, 1, mr, nc, kc, a, a_stride, w, c, c_stride, scale, params);
  } else if (mr <= 12) {
    tsr_avx512vnni_goi_u8w(12, 1, mr, nc, kc, a, a_stride, w, c, c_stride, scale, params);
  } else {
    tsr_avx512vnni_goi_u8w(16, 1, mr, nc, kc, a, a_stride, w, c, c_stride, scale, params);
  }
}
#endif
