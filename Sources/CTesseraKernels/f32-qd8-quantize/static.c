/*
 * static.c — row quantization with calibrated (static) parameters and optional
 * per-column SmoothQuant multipliers; see tsr_f32_qd8_quantize_static in
 * tessera_kernels.h. Plain loops that baseline x86-64 (SSE2) and AArch64
 * compilers vectorize: no libm call in the loop.
 */
#include "tessera_kernels.h"

/* Clamp first, then round: rounding is monotonic and the bounds are integers, so
 * clamp(rint(v)) == rint(clamp(v)). For |v| ≤ 255, v + 1.5·2²³ − 1.5·2²³ is
 * rint(v) (round half to even) in the default rounding mode — exactly
 * nearbyintf(v) — and both additions stay separate roundings (no -ffast-math). */
static inline int32_t quantize_one(float v, float lo, float hi) {
  const float magic = 12582912.0f; /* 1.5 · 2^23 */
  v = v >= lo ? v : lo;            /* NaN → lo: never UB in the conversion below */
  v = v > hi ? hi : v;
  return (int32_t)((v + magic) - magic);
}

void tsr_f32_qd8_quantize_static(
    size_t m, size_t kc, const float* x, size_t x_stride,
    const float* multipliers, tsr_qd8_params p,
    uint8_t* q, size_t q_stride, tsr_qd8_params* params) {
  /* Saturate in float first: a value far outside the calibrated range must not
   * reach the float → int32 conversion (undefined beyond ±2³¹). The two
   * multiplies stay two roundings (there is no add for a compiler to fuse). */
  const float lo = -(float)p.zero_point;
  const float hi = 255.0f - (float)p.zero_point;
  const float inv = p.inv_scale;
  const int32_t zp = p.zero_point;
  for (size_t i = 0; i < m; i++) {
    const float* row = x + i * x_stride;
    uint8_t* out = q + i * q_stride;
    params[i] = p;
    if (multipliers != NULL) {
      for (size_t k = 0; k < kc; k++) out[k] = (uint8_t)(quantize_one((row[k] * multipliers[k]) * inv, lo, hi) + zp);
    } else {
      for (size_t k = 0; k < kc; k++) out[k] = (uint8_t)(quantize_one(row[k] * inv, lo, hi) + zp);
    }
  }
}
