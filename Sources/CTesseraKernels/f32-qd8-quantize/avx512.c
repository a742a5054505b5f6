/*
 * avx512.c — row quantizer on zmm (AVX-512 F/BW): masked min/max reduction
 * (exact in any order), tsr_qd8_row_params for the row's parameters, then
 * 16 floats per step: mulps by inv_scale, cvtps2dq (round half to even under
 * the default MXCSR, = nearbyintf), + zero point, clamp to 0…255, narrow.
 */
#include "../qd8-f32-qc8w-gemm/qd8-f32-qc8w-gemm.h"

#if TSR_QD8_X86_64
#include <immintrin.h>

TSR_QD8_TARGET_AVX512 TSR_QD8_QUANTIZE(tsr_f32_qd8_quantize_ukernel__avx512) {
  const __m512i vzero = _mm512_setzero_si512();
  const __m512i v255 = _mm512_set1_epi32(255);
  for (size_t i = 0; i < m; i++) {
    const float* row = x + i * x_stride;
    uint8_t* out = q + i * q_stride;
    __m512 vlo = _mm512_set1_ps(row[0]), vhi = vlo;
    size_t k = 0;
    /* Four independent min/max chains (min/max is exact, so the order is free). */
    if (kc >= 64) {
      __m512 lo1 = vlo, hi1 = vhi, lo2 = vlo, hi2 = vhi, lo3 = vlo, hi3 = vhi;
      for (; k + 64 <= kc; k += 64) {
        const __m512 v0 = _mm512_loadu_ps(row + k), v1 = _mm512_loadu_ps(row + k + 16);
        const __m512 v2 = _mm512_loadu_ps(row + k + 32), v3 = _mm512_loadu_ps(row + k + 48);
        vlo = _mm512_min_ps(vlo, v0), vhi = _mm512_max_ps(vhi, v0);
        lo1 = _mm512_min_ps(lo1, v1), hi1 = _mm512_max_ps(hi1, v1);
        lo2 = _mm512_min_ps(lo2, v2), hi2 = _mm512_max_ps(hi2, v2);
        lo3 = _mm512_min_ps(lo3, v3), hi3 = _mm512_max_ps(hi3, v3);
      }
      vlo = _mm512_min_ps(_mm512_min_ps(vlo, lo1), _mm512_min_ps(lo2, lo3));
      vhi = _mm512_max_ps(_mm512_max_ps(vhi, hi1), _mm512_max_ps(hi2, hi3));
    }
    for (; k + 16 <= kc; k += 16) {
      const __m512 v = _mm512_loadu_ps(row + k);
      vlo = _mm512_min_ps(vlo, v);
      vhi = _mm512_max_ps(vhi, v);
    }
    if (k < kc) {
      const __mmask16 mask = (__mmask16)((1u << (kc - k)) - 1u);
      const __m512 v = _mm512_maskz_loadu_ps(mask, row + k);
      vlo = _mm512_mask_min_ps(vlo, mask, vlo, v);
      vhi = _mm512_mask_max_ps(vhi, mask, vhi, v);
    }
    const tsr_qd8_params p = tsr_qd8_row_params(_mm512_reduce_min_ps(vlo), _mm512_reduce_max_ps(vhi));
    params[i] = p;
    const __m512 vinv = _mm512_set1_ps(p.inv_scale);
    const __m512i vzp = _mm512_set1_epi32(p.zero_point);
    for (k = 0; k + 16 <= kc; k += 16) {
      __m512i r = _mm512_add_epi32(_mm512_cvtps_epi32(_mm512_mul_ps(_mm512_loadu_ps(row + k), vinv)), vzp);
      r = _mm512_min_epi32(_mm512_max_epi32(r, vzero), v255);
      _mm_storeu_si128((__m128i*)(out + k), _mm512_cvtusepi32_epi8(r));
    }
    if (k < kc) {
      const __mmask16 mask = (__mmask16)((1u << (kc - k)) - 1u);
      __m512i r = _mm512_add_epi32(_mm512_cvtps_epi32(_mm512_mul_ps(_mm512_maskz_loadu_ps(mask, row + k), vinv)), vzp);
      r = _mm512_min_epi32(_mm512_max_epi32(r, vzero), v255);
      _mm_mask_storeu_epi8(out + k, mask, _mm512_cvtusepi32_epi8(r));
    }
  }
}
#endif
