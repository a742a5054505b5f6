/*
 * f32-vmath-scalar.c — the scalar variant: the definition of every float
 * vector-math operation (algorithms and constants in f32-vmath.h), written as
 * plain loops; the SIMD variants evaluate the same formulas lane-wise.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "f32-vmath.h"

/* MARK: - Elementwise functions */

static inline float pow2i(int32_t n) { /* 2^n for -126 ≤ n ≤ 127 */
  const uint32_t bits = (uint32_t)(n + 127) << 23;
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}

static inline float exp_scalar(float x) {
  if (x != x) return x + x; /* NaN */
  if (x < TSR_EXP_ZERO) return 0.0f;
  x = x < TSR_EXP_LO ? TSR_EXP_LO : (x > TSR_EXP_HI ? TSR_EXP_HI : x);
  /* rint by the 1.5·2^23 trick (round to nearest even, |x·log2 e| < 2^22). */
  const float magic = 12582912.0f;
  const float n = (x * TSR_LOG2E + magic) - magic;
  float r = x - n * TSR_EXP_C1;
  r = r - n * TSR_EXP_C2;
  float p = TSR_EXP_P5;
  p = p * r + TSR_EXP_P4;
  p = p * r + TSR_EXP_P3;
  p = p * r + TSR_EXP_P2;
  p = p * r + TSR_EXP_P1;
  p = p * r + TSR_EXP_P0;
  const float e = (p * (r * r) + r) + 1.0f;
  const int32_t ni = (int32_t)n, n1 = ni >> 1, n2 = ni - n1; /* both in [-80, 64] */
  return (e * pow2i(n1)) * pow2i(n2);
}

static inline float erf_scalar(float x) {
  const float c = x < -TSR_ERF_CLAMP ? -TSR_ERF_CLAMP : (x > TSR_ERF_CLAMP ? TSR_ERF_CLAMP : x); /* NaN stays */
  const float x2 = c * c;
  float p = TSR_ERF_A13;
  p = p * x2 + TSR_ERF_A11;
  p = p * x2 + TSR_ERF_A9;
  p = p * x2 + TSR_ERF_A7;
  p = p * x2 + TSR_ERF_A5;
  p = p * x2 + TSR_ERF_A3;
  p = p * x2 + TSR_ERF_A1;
  float q = TSR_ERF_B8;
  q = q * x2 + TSR_ERF_B6;
  q = q * x2 + TSR_ERF_B4;
  q = q * x2 + TSR_ERF_B2;
  q = q * x2 + TSR_ERF_B0;
  return c * p / q;
}

static inline float gelu_erf_scalar(float x) {
  const float h = 0.5f * x;
  return h + h * erf_scalar(x * TSR_SQRT1_2);
}

/* 0.5·x·(1 + tanh(u)) = x·sigmoid(2u) = x / (1 + exp(−2u)). */
static inline float gelu_tanh_scalar(float x) {
  const float u = TSR_GELU_K * x * (1.0f + TSR_GELU_C * (x * x));
  return x / (1.0f + exp_scalar(-2.0f * u));
}

void tsr_f32_vexp_ukernel__scalar(size_t n, const float* x, float* y) {
  for (size_t i = 0; i < n; i++) y[i] = exp_scalar(x[i]);
}

void tsr_f32_verf_ukernel__scalar(size_t n, const float* x, float* y) {
  for (size_t i = 0; i < n; i++) y[i] = erf_scalar(x[i]);
}

void tsr_f32_vgelu_erf_ukernel__scalar(size_t n, const float* x, float* y) {
  for (size_t i = 0; i < n; i++) y[i] = gelu_erf_scalar(x[i]);
}

void tsr_f32_vgelu_tanh_ukernel__scalar(size_t n, const float* x, float* y) {
  for (size_t i = 0; i < n; i++) y[i] = gelu_tanh_scalar(x[i]);
}

/* MARK: - Softmax */

void tsr_f32_softmax_rows_ukernel__scalar(size_t rows, size_t n, const float* x, size_t x_stride,
                                          float* y, size_t y_stride, float scale, const float* mask) {
  for (size_t i = 0; i < rows; i++, x += x_stride, y += y_stride) {
    float max = -INFINITY;
    for (size_t j = 0; j < n; j++) {
      float z = x[j] * scale;
      if (mask != NULL) z += mask[j];
      if (z > max) max = z;
    }
    if (max == -INFINITY) { /* fully masked (or empty): zeros, not NaN */
      for (size_t j = 0; j < n; j++) y[j] = 0.0f;
      continue;
    }
    float sum = 0.0f;
    for (size_t j = 0; j < n; j++) {
      float z = x[j] * scale;
      if (mask != NULL) z += mask[j];
      const float e = exp_scalar(z - max);
      y[j] = e;
      sum += e;
    }
    const float inv = 1.0f / sum;
    for (size_t j = 0; j < n; j++) y[j] *= inv;
  }
}

/* MARK: - LayerNorm */

/* One row of LN(v), v = x (r == NULL) or x + r (then stored into y first). */
static void layernorm_row(size_t n, const float* x, const float* r, float* y,
                          const float* gamma, const float* beta, float eps) {
  const float* v = x;
  if (r != NULL) {
    for (size_t j = 0; j < n; j++) y[j] = x[j] + r[j];
    v = y;
  }
  const float shift = v[0];
  float s = 0.0f;
  for (size_t j = 0; j < n; j++) s += v[j] - shift;
  /* mean = shift + mrel; deviations are taken as (v − shift) − mrel, so their
   * rounding scales with the row's spread, not with |mean|. */
  const float mrel = s / (float)n;
  float s1 = 0.0f, s2 = 0.0f;
  for (size_t j = 0; j < n; j++) {
    const float d = (v[j] - shift) - mrel;
    s1 += d;
    s2 += d * d;
  }
  float var = (s2 - s1 * s1 / (float)n) / (float)n;
  if (var < 0.0f) var = 0.0f;
  const float rstd = 1.0f / sqrtf(var + eps);
  for (size_t j = 0; j < n; j++) {
    const float g = gamma != NULL ? gamma[j] : 1.0f;
    const float b = beta != NULL ? beta[j] : 0.0f;
    y[j] = (((v[j] - shift) - mrel) * rstd) * g + b;
  }
}

void tsr_f32_layernorm_rows_ukernel__scalar(size_t rows, size_t n, const float* x, size_t x_stride,
                                            const float* r, size_t r_stride, float* y, size_t y_stride,
                                            const float* gamma, const float* beta, float eps) {
  (void)r;
  (void)r_stride;
  if (n == 0) return;
  for (size_t i = 0; i < rows; i++) layernorm_row(n, x + i * x_stride, NULL, y + i * y_stride, gamma, beta, eps);
}

void tsr_f32_add_layernorm_rows_ukernel__scalar(size_t rows, size_t n, const float* x, size_t x_stride,
                                                const float* r, size_t r_stride, float* y, size_t y_stride,
                                                const float* gamma, const float* beta, float eps) {
  if (n == 0) return;
  for (size_t i = 0; i < rows; i++) {
    layernorm_row(n, x + i * x_stride, r + i * r_stride, y + i * y_stride, gamma, beta, eps);
  }
}

/* MARK: - Sum of squares, L2 normalization */

void tsr_f32_row_sumsq_ukernel__scalar(size_t rows, size_t n, const float* x, size_t x_stride, float* out) {
  for (size_t i = 0; i < rows; i++, x += x_stride) {
    float s = 0.0f;
    for (size_t j = 0; j < n; j++) s += x[j] * x[j];
    out[i] = s;
  }
}

void tsr_f32_l2_normalize_rows_ukernel__scalar(size_t rows, size_t n, const float* x, size_t x_stride,
                                               float* y, size_t y_stride, float eps) {
  for (size_t i = 0; i < rows; i++, x += x_stride, y += y_stride) {
    float s = 0.0f;
    for (size_t j = 0; j < n; j++) s += x[j] * x[j];
    const float norm = sqrtf(s);
    const float inv = 1.0f / (norm > eps ? norm : eps);
    for (size_t j = 0; j < n; j++) y[j] = x[j] * inv;
  }
}
