/*
 * 4x16c4-scalar.c — portable kernel for the 16-column, K-group-4 goi-qd8 layout,
 * the scalar twin of the AVX-VNNI kernel.
 */
#include "scalar-goi.h"

TSR_QD8_GEMM_UKERNEL(tsr_qd8_f32_qc8w_gemm_ukernel_4x16c4__scalar) {
  tsr_qd8_gemm_scalar_goi(4, 16, 4, mr, nc, kc, a, a_stride, params, w, c, c_stride);
}
