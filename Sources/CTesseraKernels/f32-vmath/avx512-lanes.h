/*
 * avx512-lanes.h — lane helpers shared by the AVX-512F float kernels
 * (f32-vmath-avx512f.c, f32-softmax-avx512f.c): the target attribute, a tail
 * mask and row scaling. Internal; include after f32-vmath.h and <immintrin.h>
 * on x86-64 only.
 */
#ifndef TESSERA_F32_VMATH_AVX512_LANES_H
#define TESSERA_F32_VMATH_AVX512_LANES_H

#define TSR_TARGET_AVX512 __attribute__((target("avx512f")))

static inline __mmask16 tail_mask(size_t k) { return (__mmask16)((1u << k) - 1u); } /* 1 ≤ k ≤ 15 */

/* y[j] = x[j] · s for j < n (x may equal y). */
TSR_TARGET_AVX512 static inline void scale_row(size_t n, const float* x, float* y, __m512 s) {
  size_t j = 0;
  for (; j + 16 <= n; j += 16) _mm512_storeu_ps(y + j, _mm512_mul_ps(_mm512_loadu_ps(x + j), s));
  if (j < n) {
    const __mmask16 m = tail_mask(n - j);
    _mm512_mask_storeu_ps(y + j, m, _mm512_mul_ps(_mm512_maskz_loadu_ps(m, x + j), s));
  }
}

#endif /* TESSERA_F32_VMATH_AVX512_LANES_H */
