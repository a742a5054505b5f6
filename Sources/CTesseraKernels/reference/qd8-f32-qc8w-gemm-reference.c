/*
 * qd8-f32-qc8w-gemm-reference.c — the semantic definition of dynamic row
 * quantization (float → uint8 + per-row scale and zero point) and of the
 * qd8 × qc8w → fp32 GEMM. Readable loops, no packing; every kernel must equal
 * them bit for bit (tests/c/test_qd8.c, Tests/CTesseraKernelsTests).
 */
#include <float.h>
#include <math.h>

#include "tessera_kernels.h"
#include "../qd8-f32-qc8w-gemm/qd8-f32-qc8w-gemm.h"

tsr_qd8_params tsr_qd8_row_params(float row_min, float row_max) {
  const float lo = row_min < 0.0f ? row_min : 0.0f;
  const float hi = row_max > 0.0f ? row_max : 0.0f;
  tsr_qd8_params p = {0, 1.0f, 1.0f};
  if (!(hi > lo)) return p; /* all-zero row (or NaN) */
  /* In double: hi − lo can exceed FLT_MAX (±huge rows); the quotient cannot. */
  float scale = (float)(((double)hi - (double)lo) / 255.0);
  /* Keep 1 / scale finite for ranges of denormals. */
  if (scale < FLT_MIN) scale = FLT_MIN;
  float zp = nearbyintf(-lo / scale);
  zp = zp < 0.0f ? 0.0f : zp;
  zp = zp > 255.0f ? 255.0f : zp;
  p.zero_point = (int32_t)zp;
  p.scale = scale;
  p.inv_scale = 1.0f / scale;
  return p;
}

void tsr_f32_qd8_quantize_reference(
    size_t m, size_t kc, const float* x, size_t x_stride,
    uint8_t* q, size_t q_stride, tsr_qd8_params* params) {
  for (size_t i = 0; i < m; i++) {
    const float* row = x + i * x_stride;
    float lo = row[0], hi = row[0];
    for (size_t k = 1; k < kc; k++) {
      lo = row[k] < lo ? row[k] : lo;
      hi = row[k] > hi ? row[k] : hi;
    }
    const tsr_qd8_params p = tsr_qd8_row_params(lo, hi);
    params[i] = p;
    for (size_t k = 0; k < kc; k++) {
      /* |x · inv_scale| ≤ ~255 for finite rows, so the float → int32 cast is exact. */
      int32_t v = (int32_t)nearbyintf(row[k] * p.inv_scale) + p.zero_point;
      v = v < 0 ? 0 : v;
      v = v > 255 ? 255 : v;
      q[i * q_stride + k] = (uint8_t)v;
    }
  }
}

void tsr_qd8_qc8w_gemm_reference_acc(
    size_t m, size_t n, size_t kc,
    const uint8_t* a, size_t a_stride, const tsr_qd8_params* params,
    const int8_t* w, size_t w_stride,
    int32_t* acc, size_t acc_stride) {
  for (size_t i = 0; i < m; i++) {
    for (size_t j = 0; j < n; j++) {
      /* uint32 so that overflow (only past K = 65793) wraps like the SIMD lanes. */
      uint32_t dot = 0, colsum = 0;
      for (size_t k = 0; k < kc; k++) {
        dot += (uint32_t)((int32_t)a[i * a_stride + k] * (int32_t)w[j * w_stride + k]);
        colsum += (uint32_t)(int32_t)w[j * w_stride + k];
      }
      acc[i * acc_stride + j] = (int32_t)(dot - (uint32_t)params[i].zero_point * colsum);
    }
  }
}

void tsr_qd8_f32_qc8w_gemm_reference(
    size_t m, size_t n, size_t kc,
    const uint8_t* a, size_t a_stride, const tsr_qd8_params* params,
    const int8_t* w, size_t w_stride, const float* w_scale, const float* bias,
    float* c, size_t c_stride) {
  for (size_t i = 0; i < m; i++) {
    for (size_t j = 0; j < n; j++) {
      int32_t acc;
      tsr_qd8_qc8w_gemm_reference_acc(1, 1, kc, a + i * a_stride, a_stride, params + i, w + j * w_stride, w_stride,
                                      &acc, 1);
      const float p = params[i].scale * w_scale[j];
      float t = (float)acc * p;
      TSR_QD8_ROUNDED(t);
      c[i * c_stride + j] = t + (bias != NULL ? bias[j] : 0.0f);
    }
  }
}
