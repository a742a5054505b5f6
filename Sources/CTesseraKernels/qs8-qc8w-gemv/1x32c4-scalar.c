/*
 * 1x32c4-scalar.c — portable GEMV for the nr×kr layout with NR = 32, KR = 4 and
 * signed activations (tsr_qs8_qc8w_pack_gemv_nrxkr_s8), the twin of
 * 1x32c4-neondot.c, so that layout is checked on every machine.
 */
#include <assert.h>

#include "scalar-nrxkr.h"

TSR_GEMV_UKERNEL(tsr_qs8_qc8w_gemv_minmax_fp32_ukernel_1x32c4__scalar) {
  assert(mr <= 1);
  (void)a_stride;
  (void)c_stride;
  if (mr == 0) return;
  tsr_gemv_scalar_nrxkr(32, 4, 0, nc, kc, a, w, c, scale, params);
}
