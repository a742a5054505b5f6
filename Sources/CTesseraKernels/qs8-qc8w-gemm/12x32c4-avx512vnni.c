/*
 * 12x32c4-avx512vnni.c — 12 rows × 32 columns per step, K in groups of 4,
 * vpdpbusd on zmm (2 weight vector(s), 24 accumulators). Layout: goi u8w, NR = 32.
 */
#include "avx512vnni-goi-u8w.h"

#if TSR_GEMM_X86_64
TSR_TARGET_AVX512VNNI TSR_GEMM_UKERNEL(tsr_qs8_qc8w_gemm_minmax_fp32_ukernel_12x32c4__avx512vnni) {
  tsr_avx512vnni_goi_u8w(12, 2, mr, nc, kc, a, a_stride, w, c, c_stride, scale, params);
}
#endif
