/*
 * static.c — row quantization with calibrated (static) parameters and optional
 * per-column SmoothQuant multipliers; see tsr_f32_qd8_quantize_static in
 * tessera_kernels.h. Plain loops the compiler vectorizes; the cost is one pass
 * over the activations, small beside the GEMM that follows.
 */
#include <math.h>

#include "tessera_kernels.h"

void tsr_f32_qd8_quantize_static(
    size_t m, size_t kc, const float* x, size_t x_stride,
    const float* multipliers, tsr_qd8_params p,
    uint8_t* q, size_t q_stride, tsr_qd8_params* params) {
  /* Saturate in float first: a value far outside the calibrated range must not
   * reach the float → int32 conversion (undefined beyond ±2³¹). The two
   * multiplies stay two roundings (there is no add for a compiler to fuse). */
  const float lo = -(float)p.zero_point;
  const float hi = 255.0f - (float)p.zero_point;
  for (size_t i = 0; i < m; i++) {
    const float* row = x + i * x_stride;
    uint8_t* out = q + i * q_stride;
    params[i] = p;
    for (size_t k = 0; k < kc; k++) {
      const float smoothed = multipliers != NULL ? row[k] * multipliers[k] : row[k];
      float v = nearbyintf(smoothed * p.inv_scale);
      v = v >= lo ? v : lo; /* NaN → lo: never UB in the conversion below */
      v = v > hi ? hi : v;
      out[k] = (uint8_t)((int32_t)v + p.zero_point);
    }
  }
}
