/*
 * avx2.c — row quantizer on ymm: min/max reduction 8 floats at a time (exact
 * in any order; the tail joins in scalar), tsr_qd8_row_params, then 8 floats per
 * step: mulps, cvtps2dq (round half to even = nearbyintf), + zero point, clamp,
 * narrow; the last < 8 elements use the reference's scalar formula.
 */
#include <math.h>

#include "../qd8-f32-qc8w-gemm/qd8-f32-qc8w-gemm.h"

#if TSR_QD8_X86_64
#include <immintrin.h>

TSR_QD8_TARGET_AVX2 TSR_QD8_QUANTIZE(tsr_f32_qd8_quantize_ukernel__avx2) {
  const __m256i vzero = _mm256_setzero_si256();
  const __m256i v255 = _mm256_set1_epi32(255);
  for (size_t i = 0; i < m; i++) {
    const float* row = x + i * x_stride;
    uint8_t* out = q + i * q_stride;
    __m256 vlo = _mm256_set1_ps(row[0]), vhi = vlo;
    size_t k = 0;
    for (; k + 8 <= kc; k += 8) {
      const __m256 v = _mm256_loadu_ps(row + k);
      vlo = _mm256_min_ps(vlo, v);
      vhi = _mm256_max_ps(vhi, v);
    }
    float lo_lanes[8], hi_lanes[8];
    _mm256_storeu_ps(lo_lanes, vlo);
    _mm256_storeu_ps(hi_lanes, vhi);
    float lo = lo_lanes[0], hi = hi_lanes[0];
    for (int j = 1; j < 8; j++) {
      lo = lo_lanes[j] < lo ? lo_lanes[j] : lo;
      hi = hi_lanes[j] > hi ? hi_lanes[j] : hi;
    }
    for (size_t t = k; t < kc; t++) {
      lo = row[t] < lo ? row[t] : lo;
      hi = row[t] > hi ? row[t] : hi;
    }
    const tsr_qd8_params p = tsr_qd8_row_params(lo, hi);
    params[i] = p;
    const __m256 vinv = _mm256_set1_ps(p.inv_scale);
    const __m256i vzp = _mm256_set1_epi32(p.zero_point);
    for (k = 0; k + 8 <= kc; k += 8) {
      __m256i r = _mm256_add_epi32(_mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(row + k), vinv)), vzp);
      r = _mm256_min_epi32(_mm256_max_epi32(r, vzero), v255);
      const __m256i w16 = _mm256_packus_epi32(r, r);   /* lane 0: r0..r3 ×2, lane 1: r4..r7 ×2 */
      const __m256i w8 = _mm256_packus_epi16(w16, w16); /* bytes r0..r3 / r4..r7 in each lane's low dword */
      const __m128i b = _mm_unpacklo_epi32(_mm256_castsi256_si128(w8), _mm256_extracti128_si256(w8, 1));
      _mm_storel_epi64((__m128i*)(out + k), b);
    }
    for (; k < kc; k++) {
      int32_t v = (int32_t)nearbyintf(row[k] * p.inv_scale) + p.zero_point;
      v = v < 0 ? 0 : v;
      v = v > 255 ? 255 : v;
      out[k] = (uint8_t)v;
    }
  }
}
#endif
