/*
 * f32-vmath-avx2.c — the AVX2 + FMA variant: 8 lanes, the scalar variant's
 * formulas (f32-vmath.h) lane-wise. Tails use vmaskmovps, so no kernel reads
 * or writes past element n − 1 of a row.
 */
#include <math.h>
#include <stdint.h>

#include "f32-vmath.h"

#if TSR_VMATH_X86_64
#include <immintrin.h>

#include "avx2-lanes.h"

TSR_TARGET_AVX2 static inline __m256 exp8(__m256 x) {
  /* max/min return their second operand when either is NaN: NaN passes through. */
  const __m256 keep = _mm256_cmp_ps(x, _mm256_set1_ps(TSR_EXP_ZERO), _CMP_NLT_UQ); /* NaN: kept */
  x = _mm256_max_ps(_mm256_set1_ps(TSR_EXP_LO), x);
  x = _mm256_min_ps(_mm256_set1_ps(TSR_EXP_HI), x);
  const __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(TSR_LOG2E)),
                                   _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(TSR_EXP_C1), x);
  r = _mm256_fnmadd_ps(n, _mm256_set1_ps(TSR_EXP_C2), r);
  __m256 p = _mm256_set1_ps(TSR_EXP_P5);
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(TSR_EXP_P4));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(TSR_EXP_P3));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(TSR_EXP_P2));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(TSR_EXP_P1));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(TSR_EXP_P0));
  const __m256 e = _mm256_add_ps(_mm256_fmadd_ps(p, _mm256_mul_ps(r, r), r), _mm256_set1_ps(1.0f));
  const __m256i ni = _mm256_cvtps_epi32(n);
  const __m256i n1 = _mm256_srai_epi32(ni, 1);
  const __m256i n2 = _mm256_sub_epi32(ni, n1);
  const __m256i bias = _mm256_set1_epi32(127);
  const __m256 s1 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n1, bias), 23));
  const __m256 s2 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n2, bias), 23));
  return _mm256_mul_ps(_mm256_and_ps(_mm256_mul_ps(e, s1), keep), s2);
}

TSR_TARGET_AVX2 static inline __m256 erf8(__m256 x) {
  const __m256 c = _mm256_min_ps(_mm256_set1_ps(TSR_ERF_CLAMP), _mm256_max_ps(_mm256_set1_ps(-TSR_ERF_CLAMP), x));
  const __m256 x2 = _mm256_mul_ps(c, c);
  __m256 p = _mm256_set1_ps(TSR_ERF_A13);
  p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(TSR_ERF_A11));
  p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(TSR_ERF_A9));
  p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(TSR_ERF_A7));
  p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(TSR_ERF_A5));
  p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(TSR_ERF_A3));
  p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(TSR_ERF_A1));
  __m256 q = _mm256_set1_ps(TSR_ERF_B8);
  q = _mm256_fmadd_ps(q, x2, _mm256_set1_ps(TSR_ERF_B6));
  q = _mm256_fmadd_ps(q, x2, _mm256_set1_ps(TSR_ERF_B4));
  q = _mm256_fmadd_ps(q, x2, _mm256_set1_ps(TSR_ERF_B2));
  q = _mm256_fmadd_ps(q, x2, _mm256_set1_ps(TSR_ERF_B0));
  return _mm256_div_ps(_mm256_mul_ps(c, p), q);
}

TSR_TARGET_AVX2 static inline __m256 gelu_erf8(__m256 x) {
  const __m256 h = _mm256_mul_ps(x, _mm256_set1_ps(0.5f));
  return _mm256_fmadd_ps(h, erf8(_mm256_mul_ps(x, _mm256_set1_ps(TSR_SQRT1_2))), h);
}

TSR_TARGET_AVX2 static inline __m256 gelu_tanh8(__m256 x) {
  const __m256 t = _mm256_fmadd_ps(_mm256_set1_ps(TSR_GELU_C), _mm256_mul_ps(x, x), _mm256_set1_ps(1.0f));
  const __m256 u = _mm256_mul_ps(_mm256_mul_ps(_mm256_set1_ps(TSR_GELU_K), x), t);
  const __m256 e = exp8(_mm256_mul_ps(u, _mm256_set1_ps(-2.0f)));
  return _mm256_div_ps(x, _mm256_add_ps(_mm256_set1_ps(1.0f), e));
}

/* MARK: - Elementwise kernels */

#define TSR_AVX2_UNARY(kernel, f)                                                   \
  TSR_TARGET_AVX2 void kernel(size_t n, const float* x, float* y) {                 \
    for (; n >= 16; n -= 16, x += 16, y += 16) {                                    \
      const __m256 a = f(_mm256_loadu_ps(x)), b = f(_mm256_loadu_ps(x + 8));        \
      _mm256_storeu_ps(y, a);                                                       \
      _mm256_storeu_ps(y + 8, b);                                                   \
    }                                                                               \
    if (n >= 8) {                                                                   \
      _mm256_storeu_ps(y, f(_mm256_loadu_ps(x)));                                   \
      n -= 8, x += 8, y += 8;                                                       \
    }                                                                               \
    if (n != 0) {                                                                   \
      const __m256i m = tail_mask(n);                                               \
      _mm256_maskstore_ps(y, m, f(_mm256_maskload_ps(x, m)));                       \
    }                                                                               \
  }

TSR_AVX2_UNARY(tsr_f32_vexp_ukernel__avx2, exp8)
TSR_AVX2_UNARY(tsr_f32_verf_ukernel__avx2, erf8)
TSR_AVX2_UNARY(tsr_f32_vgelu_erf_ukernel__avx2, gelu_erf8)
TSR_AVX2_UNARY(tsr_f32_vgelu_tanh_ukernel__avx2, gelu_tanh8)

/* Softmax: f32-softmax-avx2.c. */

/* MARK: - LayerNorm */

TSR_TARGET_AVX2 static void layernorm_row(size_t n, const float* x, const float* r, float* y,
                                          const float* gamma, const float* beta, float eps) {
  const size_t nv = n & ~(size_t)7;
  const __m256i mt = tail_mask(n - nv == 0 ? 1 : n - nv);
  const __m256 fmt = _mm256_castsi256_ps(mt);
  const float* v = x;
  if (r != NULL) {
    size_t j = 0;
    for (; j < nv; j += 8) _mm256_storeu_ps(y + j, _mm256_add_ps(_mm256_loadu_ps(x + j), _mm256_loadu_ps(r + j)));
    if (j < n) _mm256_maskstore_ps(y + j, mt, _mm256_add_ps(_mm256_maskload_ps(x + j, mt), _mm256_maskload_ps(r + j, mt)));
    v = y;
  }
  /* Pass 1: mean, shifted by v[0] (exact for constant rows). */
  const __m256 shift = _mm256_set1_ps(v[0]);
  __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
  size_t j = 0;
  for (; j + 16 <= n; j += 16) {
    a0 = _mm256_add_ps(a0, _mm256_sub_ps(_mm256_loadu_ps(v + j), shift));
    a1 = _mm256_add_ps(a1, _mm256_sub_ps(_mm256_loadu_ps(v + j + 8), shift));
  }
  for (; j < nv; j += 8) a0 = _mm256_add_ps(a0, _mm256_sub_ps(_mm256_loadu_ps(v + j), shift));
  if (j < n) a1 = _mm256_add_ps(a1, _mm256_and_ps(_mm256_sub_ps(_mm256_maskload_ps(v + j, mt), shift), fmt));
  const float mrel = hsum(_mm256_add_ps(a0, a1)) / (float)n;
  /* Pass 2: corrected two-pass variance. */
  const __m256 vmrel = _mm256_set1_ps(mrel); /* mean = v[0] + mrel; d = (v − v[0]) − mrel */
  __m256 s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), t1 = _mm256_setzero_ps(), t2 = _mm256_setzero_ps();
  for (j = 0; j + 16 <= n; j += 16) {
    const __m256 d0 = _mm256_sub_ps(_mm256_sub_ps(_mm256_loadu_ps(v + j), shift), vmrel);
    const __m256 d1 = _mm256_sub_ps(_mm256_sub_ps(_mm256_loadu_ps(v + j + 8), shift), vmrel);
    s1 = _mm256_add_ps(s1, d0);
    s2 = _mm256_fmadd_ps(d0, d0, s2);
    t1 = _mm256_add_ps(t1, d1);
    t2 = _mm256_fmadd_ps(d1, d1, t2);
  }
  for (; j < nv; j += 8) {
    const __m256 d = _mm256_sub_ps(_mm256_sub_ps(_mm256_loadu_ps(v + j), shift), vmrel);
    s1 = _mm256_add_ps(s1, d);
    s2 = _mm256_fmadd_ps(d, d, s2);
  }
  if (j < n) {
    const __m256 d = _mm256_and_ps(_mm256_sub_ps(_mm256_sub_ps(_mm256_maskload_ps(v + j, mt), shift), vmrel), fmt);
    t1 = _mm256_add_ps(t1, d);
    t2 = _mm256_fmadd_ps(d, d, t2);
  }
  const float sd = hsum(_mm256_add_ps(s1, t1)), sdd = hsum(_mm256_add_ps(s2, t2));
  float var = (sdd - sd * sd / (float)n) / (float)n;
  if (var < 0.0f) var = 0.0f;
  const __m256 rstd = _mm256_set1_ps(1.0f / sqrtf(var + eps));
  /* Pass 3: normalize, scale, shift. */
  const __m256 one = _mm256_set1_ps(1.0f), zero = _mm256_setzero_ps();
  for (j = 0; j < nv; j += 8) {
    const __m256 d = _mm256_mul_ps(_mm256_sub_ps(_mm256_sub_ps(_mm256_loadu_ps(v + j), shift), vmrel), rstd);
    const __m256 g = gamma != NULL ? _mm256_loadu_ps(gamma + j) : one;
    const __m256 b = beta != NULL ? _mm256_loadu_ps(beta + j) : zero;
    _mm256_storeu_ps(y + j, _mm256_fmadd_ps(d, g, b));
  }
  if (j < n) {
    const __m256 d = _mm256_mul_ps(_mm256_sub_ps(_mm256_sub_ps(_mm256_maskload_ps(v + j, mt), shift), vmrel), rstd);
    const __m256 g = gamma != NULL ? _mm256_maskload_ps(gamma + j, mt) : one;
    const __m256 b = beta != NULL ? _mm256_maskload_ps(beta + j, mt) : zero;
    _mm256_maskstore_ps(y + j, mt, _mm256_fmadd_ps(d, g, b));
  }
}

TSR_TARGET_AVX2 void tsr_f32_layernorm_rows_ukernel__avx2(size_t rows, size_t n, const float* x, size_t x_stride,
                                                          const float* r, size_t r_stride, float* y,
                                                          size_t y_stride, const float* gamma, const float* beta,
                                                          float eps) {
  (void)r;
  (void)r_stride;
  if (n == 0) return;
  for (size_t i = 0; i < rows; i++) layernorm_row(n, x + i * x_stride, NULL, y + i * y_stride, gamma, beta, eps);
}

TSR_TARGET_AVX2 void tsr_f32_add_layernorm_rows_ukernel__avx2(size_t rows, size_t n, const float* x,
                                                              size_t x_stride, const float* r, size_t r_stride,
                                                              float* y, size_t y_stride, const float* gamma,
                                                              const float* beta, float eps) {
  if (n == 0) return;
  for (size_t i = 0; i < rows; i++) {
    layernorm_row(n, x + i * x_stride, r + i * r_stride, y + i * y_stride, gamma, beta, eps);
  }
}

/* MARK: - Sum of squares, L2 normalization */

TSR_TARGET_AVX2 static float sumsq(size_t n, const float* x) {
  __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
  size_t j = 0;
  for (; j + 16 <= n; j += 16) {
    const __m256 v0 = _mm256_loadu_ps(x + j), v1 = _mm256_loadu_ps(x + j + 8);
    a0 = _mm256_fmadd_ps(v0, v0, a0);
    a1 = _mm256_fmadd_ps(v1, v1, a1);
  }
  for (; j + 8 <= n; j += 8) {
    const __m256 v = _mm256_loadu_ps(x + j);
    a0 = _mm256_fmadd_ps(v, v, a0);
  }
  if (j < n) {
    const __m256 v = _mm256_maskload_ps(x + j, tail_mask(n - j));
    a1 = _mm256_fmadd_ps(v, v, a1);
  }
  return hsum(_mm256_add_ps(a0, a1));
}

TSR_TARGET_AVX2 void tsr_f32_row_sumsq_ukernel__avx2(size_t rows, size_t n, const float* x, size_t x_stride,
                                                     float* out) {
  for (size_t i = 0; i < rows; i++) out[i] = sumsq(n, x + i * x_stride);
}

TSR_TARGET_AVX2 void tsr_f32_l2_normalize_rows_ukernel__avx2(size_t rows, size_t n, const float* x,
                                                             size_t x_stride, float* y, size_t y_stride,
                                                             float eps) {
  for (size_t i = 0; i < rows; i++, x += x_stride, y += y_stride) {
    const float norm = sqrtf(sumsq(n, x));
    scale_row(n, x, y, _mm256_set1_ps(1.0f / (norm > eps ? norm : eps)));
  }
}

#endif /* TSR_VMATH_X86_64 */
