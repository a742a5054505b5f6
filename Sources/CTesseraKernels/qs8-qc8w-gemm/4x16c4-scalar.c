/*
 * 4x16c4-scalar.c — portable kernel for the 16-column, K-group-4 goi layout
 * (packed by tsr_qs8_qc8w_pack_gemm_goi_u8w), the scalar twin of the SIMD kernels
 * that consume that layout.
 */
#include "scalar-goi.h"

TSR_GEMM_UKERNEL(tsr_qs8_qc8w_gemm_minmax_fp32_ukernel_4x16c4__scalar) {
  tsr_gemm_scalar_goi(4, 16, 4, /*u8w=*/1, mr, nc, kc, a, a_stride, w, c, c_stride, scale, params);
}
