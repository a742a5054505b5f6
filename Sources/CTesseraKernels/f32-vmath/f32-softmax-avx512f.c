/*
 * f32-softmax-avx512f.c — row softmax with scale and additive mask, AVX-512F
 * (16 lanes). Three passes over a row that stays in L1:
 *   1. z = x·scale (+ mask) is stored into y while the max is taken;
 *   2. y = exp(y − max) in place, summed (expminus16 below);
 *   3. y ·= 1/sum.
 * Storing z in pass 1 means x and the mask are read once, and pass 2 does no
 * loads besides y. Tails use masked loads and stores: nothing is read or
 * written past element n − 1 of a row, and y may alias x exactly.
 *
 * exp here only sees z − max ≤ 0 (or NaN), so it skips what the general exp
 * needs: no overflow clamp, no rounding instruction, and the 2^n scale comes
 * from the magic-bias trick (n + 127 lands in the low mantissa bits of
 * x·log2e + 1.5·2^23 + 127; shifting those bits left by 23 gives 2^n) instead of
 * vscalefps. exp(r) on |r| ≤ ln2/2 is the degree-5 minimax polynomial
 * 1 + r·(c1 + r·(c2 + r·(c3 + r·(c4 + r·c5)))) (the coefficients XNNPACK's
 * f32 "p5" kernels use; relative error ≈ 1e-7), with the Cody–Waite split of
 * f32-vmath.h. Arguments below TSR_SOFTMAX_EXP_ZERO give exactly 0 (exp < 2e-35,
 * far below the 1e-6 absolute bound of the contract); that keeps every
 * intermediate and every output normal, so no multiply pays a denormal assist.
 */
#include <math.h>
#include <stdint.h>

#include "f32-vmath.h"

#if TSR_VMATH_X86_64
#include <immintrin.h>

#include "avx512-lanes.h"

/* exp(z) for z ≤ 0 (NaN → NaN, z < TSR_SOFTMAX_EXP_ZERO or −inf → 0). */
TSR_TARGET_AVX512 static inline __m512 expminus16(__m512 z) {
  const __mmask16 keep = _mm512_cmp_ps_mask(z, _mm512_set1_ps(TSR_SOFTMAX_EXP_ZERO), _CMP_NLT_UQ); /* NaN: kept */
  __m512 t = _mm512_fmadd_ps(z, _mm512_set1_ps(TSR_LOG2E), _mm512_set1_ps(TSR_SOFTMAX_MAGIC));
  const __m512 s = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_castps_si512(t), 23)); /* 2^n */
  const __m512 n = _mm512_sub_ps(t, _mm512_set1_ps(TSR_SOFTMAX_MAGIC));
  __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(TSR_EXP_C1), z);
  r = _mm512_fnmadd_ps(n, _mm512_set1_ps(TSR_EXP_C2), r);
  __m512 p = _mm512_fmadd_ps(_mm512_set1_ps(TSR_SOFTMAX_Q5), r, _mm512_set1_ps(TSR_SOFTMAX_Q4));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(TSR_SOFTMAX_Q3));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(TSR_SOFTMAX_Q2));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(TSR_SOFTMAX_Q1));
  t = _mm512_mul_ps(r, s);
  return _mm512_maskz_fmadd_ps(keep, t, p, s); /* s·(1 + r·p) */
}

/* Pass 1 for one row: y = x·scale (+ mask); returns max y. */
TSR_TARGET_AVX512 static inline float scale_mask_max(size_t n, const float* x, float* y, __m512 vscale,
                                                     const float* mask) {
  const __m512 ninf = _mm512_set1_ps(-INFINITY);
  __m512 m0 = ninf, m1 = ninf;
  size_t j = 0;
  if (mask != NULL) {
    for (; j + 32 <= n; j += 32) {
      const __m512 z0 = _mm512_add_ps(_mm512_mul_ps(_mm512_loadu_ps(x + j), vscale), _mm512_loadu_ps(mask + j));
      const __m512 z1 = _mm512_add_ps(_mm512_mul_ps(_mm512_loadu_ps(x + j + 16), vscale), _mm512_loadu_ps(mask + j + 16));
      _mm512_storeu_ps(y + j, z0);
      _mm512_storeu_ps(y + j + 16, z1);
      m0 = _mm512_max_ps(m0, z0);
      m1 = _mm512_max_ps(m1, z1);
    }
    for (; j + 16 <= n; j += 16) {
      const __m512 z = _mm512_add_ps(_mm512_mul_ps(_mm512_loadu_ps(x + j), vscale), _mm512_loadu_ps(mask + j));
      _mm512_storeu_ps(y + j, z);
      m0 = _mm512_max_ps(m0, z);
    }
    if (j < n) {
      const __mmask16 mt = tail_mask(n - j);
      const __m512 z = _mm512_add_ps(_mm512_mul_ps(_mm512_maskz_loadu_ps(mt, x + j), vscale), _mm512_maskz_loadu_ps(mt, mask + j));
      _mm512_mask_storeu_ps(y + j, mt, z);
      m1 = _mm512_mask_max_ps(m1, mt, m1, z);
    }
  } else {
    for (; j + 32 <= n; j += 32) {
      const __m512 z0 = _mm512_mul_ps(_mm512_loadu_ps(x + j), vscale);
      const __m512 z1 = _mm512_mul_ps(_mm512_loadu_ps(x + j + 16), vscale);
      _mm512_storeu_ps(y + j, z0);
      _mm512_storeu_ps(y + j + 16, z1);
      m0 = _mm512_max_ps(m0, z0);
      m1 = _mm512_max_ps(m1, z1);
    }
    for (; j + 16 <= n; j += 16) {
      const __m512 z = _mm512_mul_ps(_mm512_loadu_ps(x + j), vscale);
      _mm512_storeu_ps(y + j, z);
      m0 = _mm512_max_ps(m0, z);
    }
    if (j < n) {
      const __mmask16 mt = tail_mask(n - j);
      const __m512 z = _mm512_mul_ps(_mm512_maskz_loadu_ps(mt, x + j), vscale);
      _mm512_mask_storeu_ps(y + j, mt, z);
      m1 = _mm512_mask_max_ps(m1, mt, m1, z);
    }
  }
  return _mm512_reduce_max_ps(_mm512_max_ps(m0, m1));
}

/* Pass 2 for one row: y = exp(y − max) in place; returns Σ y. */
TSR_TARGET_AVX512 static inline float exp_sum(size_t n, float* y, float max) {
  const __m512 vm = _mm512_set1_ps(max);
  __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps(), s2 = _mm512_setzero_ps(), s3 = _mm512_setzero_ps();
  size_t j = 0;
  for (; j + 64 <= n; j += 64) {
    const __m512 e0 = expminus16(_mm512_sub_ps(_mm512_loadu_ps(y + j), vm));
    const __m512 e1 = expminus16(_mm512_sub_ps(_mm512_loadu_ps(y + j + 16), vm));
    const __m512 e2 = expminus16(_mm512_sub_ps(_mm512_loadu_ps(y + j + 32), vm));
    const __m512 e3 = expminus16(_mm512_sub_ps(_mm512_loadu_ps(y + j + 48), vm));
    _mm512_storeu_ps(y + j, e0);
    _mm512_storeu_ps(y + j + 16, e1);
    _mm512_storeu_ps(y + j + 32, e2);
    _mm512_storeu_ps(y + j + 48, e3);
    s0 = _mm512_add_ps(s0, e0);
    s1 = _mm512_add_ps(s1, e1);
    s2 = _mm512_add_ps(s2, e2);
    s3 = _mm512_add_ps(s3, e3);
  }
  for (; j + 16 <= n; j += 16) {
    const __m512 e = expminus16(_mm512_sub_ps(_mm512_loadu_ps(y + j), vm));
    _mm512_storeu_ps(y + j, e);
    s0 = _mm512_add_ps(s0, e);
  }
  if (j < n) {
    const __mmask16 mt = tail_mask(n - j);
    const __m512 e = _mm512_maskz_mov_ps(mt, expminus16(_mm512_sub_ps(_mm512_maskz_loadu_ps(mt, y + j), vm)));
    _mm512_mask_storeu_ps(y + j, mt, e);
    s1 = _mm512_add_ps(s1, e);
  }
  return _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3)));
}

TSR_TARGET_AVX512 void tsr_f32_softmax_rows_ukernel__avx512f(size_t rows, size_t n, const float* x,
                                                             size_t x_stride, float* y, size_t y_stride,
                                                             float scale, const float* mask) {
  if (n == 0) return;
  const __m512 vscale = _mm512_set1_ps(scale);
  for (size_t i = 0; i < rows; i++, x += x_stride, y += y_stride) {
    const float max = scale_mask_max(n, x, y, vscale, mask);
    if (max == -INFINITY) { /* fully masked: zeros, not NaN */
      for (size_t j = 0; j < n; j++) y[j] = 0.0f;
      continue;
    }
    scale_row(n, y, y, _mm512_set1_ps(1.0f / exp_sum(n, y, max)));
  }
}

#endif /* TSR_VMATH_X86_64 */
