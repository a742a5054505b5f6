/*
 * 16x16c4-avx512vnni.c — 16 rows × 16 columns per step, K in groups of 4,
 * vpdpbusd on zmm (1 weight vector(s), 16 accumulators). Layout: goi u8w, NR = 16.
 */
#include "avx512vnni-goi-u8w.h"

#if TSR_GEMM_X86_64
TSR_TARGET_AVX512VNNI TSR_GEMM_UKERNEL(tsr_qs8_qc8w_gemm_minmax_fp32_ukernel_16x16c4__avx512vnni) {
  tsr_avx512vnni_goi_u8w(16, 1, mr, nc, kc, a, a_stride, w, c, c_stride, scale, params);
}
#endif
