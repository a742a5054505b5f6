/*
 * 4x8-scalar.c — portable kernel for the 8-column f32-goi layout, the scalar
 * path dispatch picks on CPUs without AVX2 + FMA.
 */
#include "scalar-goi.h"

TSR_F32_GEMM_UKERNEL(tsr_f32_gemm_ukernel_4x8__scalar) {
  tsr_f32_gemm_scalar_goi(4, 8, mr, nc, kc, a, a_stride, w, c, c_stride);
}
