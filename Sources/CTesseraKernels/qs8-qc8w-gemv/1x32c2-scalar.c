/*
 * 1x32c2-scalar.c — portable batch-1 kernel for the 32×2 GEMV layout
 * (packed by tsr_qs8_qc8w_pack_gemv_nrxkr_s8), the scalar twin of the AVX2 kernel.
 */
#include <assert.h>

#include "scalar-nrxkr.h"

void tsr_qs8_qc8w_gemv_minmax_fp32_ukernel_1x32c2__scalar(
    size_t mr, size_t nc, size_t kc, const int8_t* a, size_t a_stride,
    const void* w, int8_t* c, size_t c_stride,
    const float* scale, const tsr_qs8_minmax_params* params) {
  assert(mr <= 1);
  (void)a_stride;
  (void)c_stride;
  if (mr == 0) return;
  tsr_gemv_scalar_nrxkr(32, 2, 0, nc, kc, a, w, c, scale, params);
}
