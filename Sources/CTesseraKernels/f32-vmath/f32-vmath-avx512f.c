/*
 * f32-vmath-avx512f.c — the AVX-512F variant: 16 lanes, the scalar variant's
 * formulas (f32-vmath.h) lane-wise; exp scales by 2^n with vscalefps (one
 * rounding, correct overflow and denormal underflow). Tails use masked loads
 * and stores, so no kernel reads or writes past element n − 1 of a row.
 */
#include <math.h>
#include <stdint.h>

#include "f32-vmath.h"

#if TSR_VMATH_X86_64
#include <immintrin.h>

#include "avx512-lanes.h"

/* MARK: - Helpers */

TSR_TARGET_AVX512 static inline __m512 exp16(__m512 x) {
  /* max/min return their second operand when either is NaN: NaN passes through. */
  const __mmask16 keep = _mm512_cmp_ps_mask(x, _mm512_set1_ps(TSR_EXP_ZERO), _CMP_NLT_UQ); /* NaN: kept */
  x = _mm512_max_ps(_mm512_set1_ps(TSR_EXP_LO), x);
  x = _mm512_min_ps(_mm512_set1_ps(TSR_EXP_HI), x);
  const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(TSR_LOG2E)),
                                        _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(TSR_EXP_C1), x);
  r = _mm512_fnmadd_ps(n, _mm512_set1_ps(TSR_EXP_C2), r);
  __m512 p = _mm512_set1_ps(TSR_EXP_P5);
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(TSR_EXP_P4));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(TSR_EXP_P3));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(TSR_EXP_P2));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(TSR_EXP_P1));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(TSR_EXP_P0));
  const __m512 e = _mm512_add_ps(_mm512_fmadd_ps(p, _mm512_mul_ps(r, r), r), _mm512_set1_ps(1.0f));
  return _mm512_maskz_scalef_ps(keep, e, n);
}

TSR_TARGET_AVX512 static inline __m512 erf16(__m512 x) {
  const __m512 c = _mm512_min_ps(_mm512_set1_ps(TSR_ERF_CLAMP), _mm512_max_ps(_mm512_set1_ps(-TSR_ERF_CLAMP), x));
  const __m512 x2 = _mm512_mul_ps(c, c);
  __m512 p = _mm512_set1_ps(TSR_ERF_A13);
  p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(TSR_ERF_A11));
  p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(TSR_ERF_A9));
  p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(TSR_ERF_A7));
  p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(TSR_ERF_A5));
  p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(TSR_ERF_A3));
  p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(TSR_ERF_A1));
  __m512 q = _mm512_set1_ps(TSR_ERF_B8);
  q = _mm512_fmadd_ps(q, x2, _mm512_set1_ps(TSR_ERF_B6));
  q = _mm512_fmadd_ps(q, x2, _mm512_set1_ps(TSR_ERF_B4));
  q = _mm512_fmadd_ps(q, x2, _mm512_set1_ps(TSR_ERF_B2));
  q = _mm512_fmadd_ps(q, x2, _mm512_set1_ps(TSR_ERF_B0));
  return _mm512_div_ps(_mm512_mul_ps(c, p), q);
}

TSR_TARGET_AVX512 static inline __m512 gelu_erf16(__m512 x) {
  const __m512 h = _mm512_mul_ps(x, _mm512_set1_ps(0.5f));
  return _mm512_fmadd_ps(h, erf16(_mm512_mul_ps(x, _mm512_set1_ps(TSR_SQRT1_2))), h);
}

TSR_TARGET_AVX512 static inline __m512 gelu_tanh16(__m512 x) {
  const __m512 t = _mm512_fmadd_ps(_mm512_set1_ps(TSR_GELU_C), _mm512_mul_ps(x, x), _mm512_set1_ps(1.0f));
  const __m512 u = _mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(TSR_GELU_K), x), t);
  const __m512 e = exp16(_mm512_mul_ps(u, _mm512_set1_ps(-2.0f)));
  return _mm512_div_ps(x, _mm512_add_ps(_mm512_set1_ps(1.0f), e));
}

/* MARK: - Elementwise kernels */

#define TSR_AVX512_UNARY(kernel, f)                                                 \
  TSR_TARGET_AVX512 void kernel(size_t n, const float* x, float* y) {               \
    for (; n >= 32; n -= 32, x += 32, y += 32) {                                    \
      const __m512 a = f(_mm512_loadu_ps(x)), b = f(_mm512_loadu_ps(x + 16));      \
      _mm512_storeu_ps(y, a);                                                       \
      _mm512_storeu_ps(y + 16, b);                                                  \
    }                                                                               \
    if (n >= 16) {                                                                  \
      _mm512_storeu_ps(y, f(_mm512_loadu_ps(x)));                                   \
      n -= 16, x += 16, y += 16;                                                    \
    }                                                                               \
    if (n != 0) {                                                                   \
      const __mmask16 m = tail_mask(n);                                             \
      _mm512_mask_storeu_ps(y, m, f(_mm512_maskz_loadu_ps(m, x)));                  \
    }                                                                               \
  }

TSR_AVX512_UNARY(tsr_f32_vexp_ukernel__avx512f, exp16)
TSR_AVX512_UNARY(tsr_f32_verf_ukernel__avx512f, erf16)
TSR_AVX512_UNARY(tsr_f32_vgelu_erf_ukernel__avx512f, gelu_erf16)
TSR_AVX512_UNARY(tsr_f32_vgelu_tanh_ukernel__avx512f, gelu_tanh16)

/* Softmax: f32-softmax-avx512f.c. */

/* MARK: - LayerNorm */

TSR_TARGET_AVX512 static void layernorm_row(size_t n, const float* x, const float* r, float* y,
                                            const float* gamma, const float* beta, float eps) {
  const size_t nv = n & ~(size_t)15;
  const __mmask16 mt = tail_mask(n - nv == 0 ? 1 : n - nv);
  const float* v = x;
  if (r != NULL) {
    size_t j = 0;
    for (; j < nv; j += 16) _mm512_storeu_ps(y + j, _mm512_add_ps(_mm512_loadu_ps(x + j), _mm512_loadu_ps(r + j)));
    if (j < n) {
      _mm512_mask_storeu_ps(y + j, mt, _mm512_add_ps(_mm512_maskz_loadu_ps(mt, x + j), _mm512_maskz_loadu_ps(mt, r + j)));
    }
    v = y;
  }
  /* Pass 1: mean, shifted by v[0] (exact for constant rows). */
  const __m512 shift = _mm512_set1_ps(v[0]);
  __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
  size_t j = 0;
  for (; j + 32 <= n; j += 32) {
    a0 = _mm512_add_ps(a0, _mm512_sub_ps(_mm512_loadu_ps(v + j), shift));
    a1 = _mm512_add_ps(a1, _mm512_sub_ps(_mm512_loadu_ps(v + j + 16), shift));
  }
  for (; j < nv; j += 16) a0 = _mm512_add_ps(a0, _mm512_sub_ps(_mm512_loadu_ps(v + j), shift));
  if (j < n) a1 = _mm512_mask_add_ps(a1, mt, a1, _mm512_sub_ps(_mm512_maskz_loadu_ps(mt, v + j), shift));
  const float mrel = _mm512_reduce_add_ps(_mm512_add_ps(a0, a1)) / (float)n;
  /* Pass 2: corrected two-pass variance. */
  const __m512 vmrel = _mm512_set1_ps(mrel); /* mean = v[0] + mrel; d = (v − v[0]) − mrel */
  __m512 s1 = _mm512_setzero_ps(), s2 = _mm512_setzero_ps(), t1 = _mm512_setzero_ps(), t2 = _mm512_setzero_ps();
  for (j = 0; j + 32 <= n; j += 32) {
    const __m512 d0 = _mm512_sub_ps(_mm512_sub_ps(_mm512_loadu_ps(v + j), shift), vmrel);
    const __m512 d1 = _mm512_sub_ps(_mm512_sub_ps(_mm512_loadu_ps(v + j + 16), shift), vmrel);
    s1 = _mm512_add_ps(s1, d0);
    s2 = _mm512_fmadd_ps(d0, d0, s2);
    t1 = _mm512_add_ps(t1, d1);
    t2 = _mm512_fmadd_ps(d1, d1, t2);
  }
  for (; j < nv; j += 16) {
    const __m512 d = _mm512_sub_ps(_mm512_sub_ps(_mm512_loadu_ps(v + j), shift), vmrel);
    s1 = _mm512_add_ps(s1, d);
    s2 = _mm512_fmadd_ps(d, d, s2);
  }
  if (j < n) {
    const __m512 d = _mm512_maskz_sub_ps(mt, _mm512_sub_ps(_mm512_maskz_loadu_ps(mt, v + j), shift), vmrel);
    t1 = _mm512_add_ps(t1, d);
    t2 = _mm512_fmadd_ps(d, d, t2);
  }
  const float sd = _mm512_reduce_add_ps(_mm512_add_ps(s1, t1));
  const float sdd = _mm512_reduce_add_ps(_mm512_add_ps(s2, t2));
  float var = (sdd - sd * sd / (float)n) / (float)n;
  if (var < 0.0f) var = 0.0f;
  const __m512 rstd = _mm512_set1_ps(1.0f / sqrtf(var + eps));
  /* Pass 3: normalize, scale, shift. */
  const __m512 one = _mm512_set1_ps(1.0f), zero = _mm512_setzero_ps();
  for (j = 0; j < nv; j += 16) {
    const __m512 d = _mm512_mul_ps(_mm512_sub_ps(_mm512_sub_ps(_mm512_loadu_ps(v + j), shift), vmrel), rstd);
    const __m512 g = gamma != NULL ? _mm512_loadu_ps(gamma + j) : one;
    const __m512 b = beta != NULL ? _mm512_loadu_ps(beta + j) : zero;
    _mm512_storeu_ps(y + j, _mm512_fmadd_ps(d, g, b));
  }
  if (j < n) {
    const __m512 d = _mm512_mul_ps(_mm512_sub_ps(_mm512_sub_ps(_mm512_maskz_loadu_ps(mt, v + j), shift), vmrel), rstd);
    const __m512 g = gamma != NULL ? _mm512_maskz_loadu_ps(mt, gamma + j) : one;
    const __m512 b = beta != NULL ? _mm512_maskz_loadu_ps(mt, beta + j) : zero;
    _mm512_mask_storeu_ps(y + j, mt, _mm512_fmadd_ps(d, g, b));
  }
}

TSR_TARGET_AVX512 void tsr_f32_layernorm_rows_ukernel__avx512f(size_t rows, size_t n, const float* x,
                                                               size_t x_stride, const float* r, size_t r_stride,
                                                               float* y, size_t y_stride, const float* gamma,
                                                               const float* beta, float eps) {
  (void)r;
  (void)r_stride;
  if (n == 0) return;
  for (size_t i = 0; i < rows; i++) layernorm_row(n, x + i * x_stride, NULL, y + i * y_stride, gamma, beta, eps);
}

TSR_TARGET_AVX512 void tsr_f32_add_layernorm_rows_ukernel__avx512f(size_t rows, size_t n, const float* x,
                                                                   size_t x_stride, const float* r,
                                                                   size_t r_stride, float* y, size_t y_stride,
                                                                   const float* gamma, const float* beta,
                                                                   float eps) {
  if (n == 0) return;
  for (size_t i = 0; i < rows; i++) {
    layernorm_row(n, x + i * x_stride, r + i * r_stride, y + i * y_stride, gamma, beta, eps);
  }
}

/* MARK: - Sum of squares, L2 normalization */

TSR_TARGET_AVX512 static float sumsq(size_t n, const float* x) {
  __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
  size_t j = 0;
  for (; j + 32 <= n; j += 32) {
    const __m512 v0 = _mm512_loadu_ps(x + j), v1 = _mm512_loadu_ps(x + j + 16);
    a0 = _mm512_fmadd_ps(v0, v0, a0);
    a1 = _mm512_fmadd_ps(v1, v1, a1);
  }
  for (; j + 16 <= n; j += 16) {
    const __m512 v = _mm512_loadu_ps(x + j);
    a0 = _mm512_fmadd_ps(v, v, a0);
  }
  if (j < n) {
    const __m512 v = _mm512_maskz_loadu_ps(tail_mask(n - j), x + j);
    a1 = _mm512_fmadd_ps(v, v, a1);
  }
  return _mm512_reduce_add_ps(_mm512_add_ps(a0, a1));
}

TSR_TARGET_AVX512 void tsr_f32_row_sumsq_ukernel__avx512f(size_t rows, size_t n, const float* x, size_t x_stride,
                                                          float* out) {
  for (size_t i = 0; i < rows; i++) out[i] = sumsq(n, x + i * x_stride);
}

TSR_TARGET_AVX512 void tsr_f32_l2_normalize_rows_ukernel__avx512f(size_t rows, size_t n, const float* x,
                                                                  size_t x_stride, float* y, size_t y_stride,
                                                                  float eps) {
  for (size_t i = 0; i < rows; i++, x += x_stride, y += y_stride) {
    const float norm = sqrtf(sumsq(n, x));
    scale_row(n, x, y, _mm512_set1_ps(1.0f / (norm > eps ? norm : eps)));
  }
}

#endif /* TSR_VMATH_X86_64 */
