/*
 * 4x16-scalar.c — portable kernel for the 16-column f32-goi layout, the scalar
 * twin of the AVX2 kernel.
 */
#include "scalar-goi.h"

TSR_F32_GEMM_UKERNEL(tsr_f32_gemm_ukernel_4x16__scalar) {
  tsr_f32_gemm_scalar_goi(4, 16, mr, nc, kc, a, a_stride, w, c, c_stride);
}
