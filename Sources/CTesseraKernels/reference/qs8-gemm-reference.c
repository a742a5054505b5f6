/*
 * qs8-gemm-reference.c — the semantic definition of the qs8 × qc8w GEMM and of
 * its requantization. Readable loops, no packing; every kernel must equal it
 * bit for bit (tests/c/test_kernels.c, Tests/CTesseraKernelsTests).
 */
#include <math.h>

#include "tessera_kernels.h"

int8_t tsr_qs8_requantize_fp32(int32_t acc, float scale, const tsr_qs8_minmax_params* params) {
  /* Clamp in the zero-point-free domain: the bounds are integers, so clamping
   * before rounding gives the same result as rounding then clamping, and the
   * value handed to lrintf always fits. */
  const float lo = (float)((int32_t)params->output_min - params->output_zero_point);
  const float hi = (float)((int32_t)params->output_max - params->output_zero_point);
  float x = (float)acc * scale;
  x = x < lo ? lo : x;
  x = x > hi ? hi : x;
  /* lrintf rounds half to even in the default rounding mode, like cvtps2dq. */
  return (int8_t)((int32_t)lrintf(x) + params->output_zero_point);
}

void tsr_qs8_qc8w_gemm_reference(
    size_t m, size_t n, size_t kc,
    const int8_t* a, size_t a_stride, int32_t a_zero_point,
    const int8_t* w, size_t w_stride,
    const int32_t* bias,
    int8_t* c, size_t c_stride,
    const float* scale,
    const tsr_qs8_minmax_params* params) {
  for (size_t i = 0; i < m; i++) {
    for (size_t j = 0; j < n; j++) {
      /* int32 accumulation, written in uint32 so that overflow (only possible
       * past K = 65793) wraps exactly like the SIMD accumulators. */
      uint32_t acc = bias != NULL ? (uint32_t)bias[j] : 0u;
      for (size_t k = 0; k < kc; k++) {
        const int32_t x = (int32_t)a[i * a_stride + k] - a_zero_point;
        acc += (uint32_t)(x * (int32_t)w[j * w_stride + k]);
      }
      c[i * c_stride + j] = tsr_qs8_requantize_fp32((int32_t)acc, scale[j], params);
    }
  }
}
