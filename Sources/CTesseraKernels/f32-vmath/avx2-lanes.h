/*
 * avx2-lanes.h — lane helpers shared by the AVX2 float kernels (f32-vmath-avx2.c,
 * f32-softmax-avx2.c): the target attribute, a tail mask, a horizontal sum and row scaling.
 * Internal; include after f32-vmath.h and <immintrin.h> on x86-64 only.
 */
#ifndef TESSERA_F32_VMATH_AVX2_LANES_H
#define TESSERA_F32_VMATH_AVX2_LANES_H

#define TSR_TARGET_AVX2 __attribute__((target("avx2,fma")))

/* Lanes [0, k) set, 1 ≤ k ≤ 7. */
TSR_TARGET_AVX2 static inline __m256i tail_mask(size_t k) {
  static const int32_t bits[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
  return _mm256_loadu_si256((const __m256i*)(bits + 8 - k));
}

TSR_TARGET_AVX2 static inline float hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

/* y[j] = x[j] · s for j < n (x may equal y). */
TSR_TARGET_AVX2 static inline void scale_row(size_t n, const float* x, float* y, __m256 s) {
  size_t j = 0;
  for (; j + 8 <= n; j += 8) _mm256_storeu_ps(y + j, _mm256_mul_ps(_mm256_loadu_ps(x + j), s));
  if (j < n) {
    const __m256i m = tail_mask(n - j);
    _mm256_maskstore_ps(y + j, m, _mm256_mul_ps(_mm256_maskload_ps(x + j, m), s));
  }
}

#endif /* TESSERA_F32_VMATH_AVX2_LANES_H */
