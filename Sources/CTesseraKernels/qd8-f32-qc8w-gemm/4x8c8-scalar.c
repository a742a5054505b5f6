/*
 * 4x8c8-scalar.c — portable kernel for the 8-column, K-group-8 goi-qd8 layout,
 * the scalar twin of the AVX2 kernel.
 */
#include "scalar-goi.h"

TSR_QD8_GEMM_UKERNEL(tsr_qd8_f32_qc8w_gemm_ukernel_4x8c8__scalar) {
  tsr_qd8_gemm_scalar_goi(4, 8, 8, mr, nc, kc, a, a_stride, params, w, c, c_stride);
}
