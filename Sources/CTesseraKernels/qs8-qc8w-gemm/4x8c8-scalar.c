/*
 * 4x8c8-scalar.c — portable kernel for the 8-column, K-group-8 goi layout
 * (packed by tsr_qs8_qc8w_pack_gemm_goi_s8w), the scalar twin of the SIMD kernels
 * that consume that layout.
 */
#include "scalar-goi.h"

TSR_GEMM_UKERNEL(tsr_qs8_qc8w_gemm_minmax_fp32_ukernel_4x8c8__scalar) {
  tsr_gemm_scalar_goi(4, 8, 8, /*u8w=*/0, mr, nc, kc, a, a_stride, w, c, c_stride, scale, params);
}
