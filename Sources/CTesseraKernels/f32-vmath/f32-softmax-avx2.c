/*
 * f32-softmax-avx2.c — row softmax with scale and additive mask, AVX2 + FMA
 * (8 lanes). The algorithm of f32-softmax-avx512f.c (z stored in pass 1, exp
 * in place in pass 2, scale in pass 3; exp for z − max ≤ 0 with the magic-bias
 * 2^n and the degree-5 polynomial). Tails use vmaskmovps: nothing is read or
 * written past element n − 1 of a row, and y may alias x exactly.
 */
#include <math.h>
#include <stdint.h>

#include "f32-vmath.h"

#if TSR_VMATH_X86_64
#include <immintrin.h>

#include "avx2-lanes.h"

TSR_TARGET_AVX2 static inline float hmax(__m256 v) {
  __m128 s = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_max_ps(s, _mm_movehl_ps(s, s));
  s = _mm_max_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

/* exp(z) for z ≤ 0 (NaN → NaN, z < TSR_SOFTMAX_EXP_ZERO or −inf → 0). */
TSR_TARGET_AVX2 static inline __m256 expminus8(__m256 z) {
  const __m256 keep = _mm256_cmp_ps(z, _mm256_set1_ps(TSR_SOFTMAX_EXP_ZERO), _CMP_NLT_UQ); /* NaN: kept */
  __m256 t = _mm256_fmadd_ps(z, _mm256_set1_ps(TSR_LOG2E), _mm256_set1_ps(TSR_SOFTMAX_MAGIC));
  const __m256 s = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(t), 23)); /* 2^n */
  const __m256 n = _mm256_sub_ps(t, _mm256_set1_ps(TSR_SOFTMAX_MAGIC));
  __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(TSR_EXP_C1), z);
  r = _mm256_fnmadd_ps(n, _mm256_set1_ps(TSR_EXP_C2), r);
  __m256 p = _mm256_fmadd_ps(_mm256_set1_ps(TSR_SOFTMAX_Q5), r, _mm256_set1_ps(TSR_SOFTMAX_Q4));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(TSR_SOFTMAX_Q3));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(TSR_SOFTMAX_Q2));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(TSR_SOFTMAX_Q1));
  t = _mm256_mul_ps(r, s);
  return _mm256_and_ps(_mm256_fmadd_ps(t, p, s), keep); /* s·(1 + r·p) */
}

/* Pass 1 for one row: y = x·scale (+ mask); returns max y. */
TSR_TARGET_AVX2 static inline float scale_mask_max(size_t n, const float* x, float* y, __m256 vscale,
                                                   const float* mask) {
  const __m256 ninf = _mm256_set1_ps(-INFINITY);
  const __m256 zero = _mm256_setzero_ps();
  __m256 m0 = ninf, m1 = ninf;
  size_t j = 0;
  for (; j + 16 <= n; j += 16) {
    const __m256 k0 = mask != NULL ? _mm256_loadu_ps(mask + j) : zero;
    const __m256 k1 = mask != NULL ? _mm256_loadu_ps(mask + j + 8) : zero;
    const __m256 z0 = _mm256_add_ps(_mm256_mul_ps(_mm256_loadu_ps(x + j), vscale), k0);
    const __m256 z1 = _mm256_add_ps(_mm256_mul_ps(_mm256_loadu_ps(x + j + 8), vscale), k1);
    _mm256_storeu_ps(y + j, z0);
    _mm256_storeu_ps(y + j + 8, z1);
    m0 = _mm256_max_ps(m0, z0);
    m1 = _mm256_max_ps(m1, z1);
  }
  for (; j + 8 <= n; j += 8) {
    const __m256 k = mask != NULL ? _mm256_loadu_ps(mask + j) : zero;
    const __m256 z = _mm256_add_ps(_mm256_mul_ps(_mm256_loadu_ps(x + j), vscale), k);
    _mm256_storeu_ps(y + j, z);
    m0 = _mm256_max_ps(m0, z);
  }
  if (j < n) {
    const __m256i mt = tail_mask(n - j);
    const __m256 k = mask != NULL ? _mm256_maskload_ps(mask + j, mt) : zero;
    const __m256 z = _mm256_add_ps(_mm256_mul_ps(_mm256_maskload_ps(x + j, mt), vscale), k);
    _mm256_maskstore_ps(y + j, mt, z);
    m1 = _mm256_max_ps(m1, _mm256_blendv_ps(ninf, z, _mm256_castsi256_ps(mt)));
  }
  return hmax(_mm256_max_ps(m0, m1));
}

/* Pass 2 for one row: y = exp(y − max) in place; returns Σ y. */
TSR_TARGET_AVX2 static inline float exp_sum(size_t n, float* y, float max) {
  const __m256 vm = _mm256_set1_ps(max);
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
  size_t j = 0;
  for (; j + 32 <= n; j += 32) {
    const __m256 e0 = expminus8(_mm256_sub_ps(_mm256_loadu_ps(y + j), vm));
    const __m256 e1 = expminus8(_mm256_sub_ps(_mm256_loadu_ps(y + j + 8), vm));
    const __m256 e2 = expminus8(_mm256_sub_ps(_mm256_loadu_ps(y + j + 16), vm));
    const __m256 e3 = expminus8(_mm256_sub_ps(_mm256_loadu_ps(y + j + 24), vm));
    _mm256_storeu_ps(y + j, e0);
    _mm256_storeu_ps(y + j + 8, e1);
    _mm256_storeu_ps(y + j + 16, e2);
    _mm256_storeu_ps(y + j + 24, e3);
    s0 = _mm256_add_ps(s0, e0);
    s1 = _mm256_add_ps(s1, e1);
    s2 = _mm256_add_ps(s2, e2);
    s3 = _mm256_add_ps(s3, e3);
  }
  for (; j + 8 <= n; j += 8) {
    const __m256 e = expminus8(_mm256_sub_ps(_mm256_loadu_ps(y + j), vm));
    _mm256_storeu_ps(y + j, e);
    s0 = _mm256_add_ps(s0, e);
  }
  if (j < n) {
    const __m256i mt = tail_mask(n - j);
    const __m256 e = _mm256_and_ps(expminus8(_mm256_sub_ps(_mm256_maskload_ps(y + j, mt), vm)), _mm256_castsi256_ps(mt));
    _mm256_maskstore_ps(y + j, mt, e);
    s1 = _mm256_add_ps(s1, e);
  }
  return hsum(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
}

TSR_TARGET_AVX2 void tsr_f32_softmax_rows_ukernel__avx2(size_t rows, size_t n, const float* x, size_t x_stride,
                                                        float* y, size_t y_stride, float scale,
                                                        const float* mask) {
  if (n == 0) return;
  const __m256 vscale = _mm256_set1_ps(scale);
  for (size_t i = 0; i < rows; i++, x += x_stride, y += y_stride) {
    const float max = scale_mask_max(n, x, y, vscale, mask);
    if (max == -INFINITY) { /* fully masked: zeros, not NaN */
      for (size_t j = 0; j < n; j++) y[j] = 0.0f;
      continue;
    }
    scale_row(n, y, y, _mm256_set1_ps(1.0f / exp_sum(n, y, max)));
  }
}

#endif /* TSR_VMATH_X86_64 */
