/*
 * 4x32-scalar.c — portable kernel for the 32-column f32-goi layout, the scalar
 * twin of the AVX-512F kernel.
 */
#include "scalar-goi.h"

TSR_F32_GEMM_UKERNEL(tsr_f32_gemm_ukernel_4x32__scalar) {
  tsr_f32_gemm_scalar_goi(4, 32, mr, nc, kc, a, a_stride, w, c, c_stride);
}
