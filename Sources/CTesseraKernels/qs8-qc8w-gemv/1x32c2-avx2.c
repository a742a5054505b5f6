/*
 * 1x32c2-avx2.c — batch-1 GEMV on AVX2, 32 columns per panel.
 *
 * Layout: nr×kr with NR = 32, KR = 2, biases packed by
 * tsr_qs8_qc8w_pack_gemv_nrxkr_s8. Exact int8 arithmetic without vpmaddubsw's
 * int16 saturation: 16 weights (8 columns × 2 k) are sign-extended to int16
 * (vpmovsxbw), multiplied by the broadcast int16 pair (A[k], A[k+1]) and the two
 * products of each column added into one int32 (vpmaddwd: |sum| ≤ 2·128·128,
 * never saturates), then accumulated with vpaddd — the step measured by
 * TSR_PEAK_INT8_AVX2. Four ymm accumulators cover the 32 columns for the whole
 * K; the weights are read once, front to back, with software prefetch.
 */
#include <assert.h>
#include <string.h>

#include "qs8-qc8w-gemv.h"

#if TSR_GEMV_X86_64
#include <immintrin.h>

/* Software prefetch as in 1x64c4-avx512vnni.c: one prefetcht1 per 512 bytes of
 * weights, 16 KiB ahead of the stream. */
#ifndef TSR_GEMV_AVX2_PREFETCH
#define TSR_GEMV_AVX2_PREFETCH 16384
#endif

#define TSR_TARGET_AVX2 __attribute__((target("avx2")))

/* acc[g] += Σ_{2 k} A·W for column group g (8 columns) of one K pair. */
#define TSR_GEMV_AVX2_PAIR(va, pw)                                                          \
  do {                                                                                      \
    acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(va, _mm256_cvtepi8_epi16(              \
                                      _mm_loadu_si128((const __m128i*)((pw) + 0)))));       \
    acc1 = _mm256_add_epi32(acc1, _mm256_madd_epi16(va, _mm256_cvtepi8_epi16(              \
                                      _mm_loadu_si128((const __m128i*)((pw) + 16)))));      \
    acc2 = _mm256_add_epi32(acc2, _mm256_madd_epi16(va, _mm256_cvtepi8_epi16(              \
                                      _mm_loadu_si128((const __m128i*)((pw) + 32)))));      \
    acc3 = _mm256_add_epi32(acc3, _mm256_madd_epi16(va, _mm256_cvtepi8_epi16(              \
                                      _mm_loadu_si128((const __m128i*)((pw) + 48)))));      \
  } while (0)

/* 8 k (4 pairs) × 32 columns: 256 bytes of weights. */
#define TSR_GEMV_AVX2_BLOCK8(av, pw)                                    \
  do {                                                                  \
    const __m256i av8 = (av);                                           \
    TSR_GEMV_AVX2_PAIR(_mm256_shuffle_epi32(av8, 0x00), (pw) + 0);      \
    TSR_GEMV_AVX2_PAIR(_mm256_shuffle_epi32(av8, 0x55), (pw) + 64);     \
    TSR_GEMV_AVX2_PAIR(_mm256_shuffle_epi32(av8, 0xAA), (pw) + 128);    \
    TSR_GEMV_AVX2_PAIR(_mm256_shuffle_epi32(av8, 0xFF), (pw) + 192);    \
  } while (0)

/* 8 activations → int16 in both 128-bit lanes (pairs broadcast by vpshufd). */
TSR_TARGET_AVX2 static inline __m256i widen8(const int8_t* a8) {
  const __m128i v = _mm_cvtepi8_epi16(_mm_loadl_epi64((const __m128i*)a8));
  return _mm256_broadcastsi128_si256(v);
}

TSR_TARGET_AVX2 void tsr_qs8_qc8w_gemv_minmax_fp32_ukernel_1x32c2__avx2(
    size_t mr, size_t nc, size_t kc, const int8_t* a, size_t a_stride,
    const void* w, int8_t* c, size_t c_stride,
    const float* scale, const tsr_qs8_minmax_params* params) {
  assert(mr <= 1);
  (void)a_stride;
  (void)c_stride;
  if (mr == 0 || nc == 0) return;
  const size_t panel = tsr_goi_panel_bytes(32, 2, kc);
  const size_t kc8 = kc & ~(size_t)7;
  int8_t a_tail[8] = {0};
  memcpy(a_tail, a + kc8, kc - kc8);
  const size_t tail_pairs = (kc - kc8 + 1) / 2;
  const __m256 vlo = _mm256_set1_ps((float)((int32_t)params->output_min - params->output_zero_point));
  const __m256 vhi = _mm256_set1_ps((float)((int32_t)params->output_max - params->output_zero_point));
  const __m256i vzp = _mm256_set1_epi32(params->output_zero_point);
  const __m256i vorder = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);

  const uint8_t* p = (const uint8_t*)w;
  for (size_t n0 = 0; n0 < nc; n0 += 32, p += panel) {
    __m256i acc0 = _mm256_loadu_si256((const __m256i*)(p + 0));
    __m256i acc1 = _mm256_loadu_si256((const __m256i*)(p + 32));
    __m256i acc2 = _mm256_loadu_si256((const __m256i*)(p + 64));
    __m256i acc3 = _mm256_loadu_si256((const __m256i*)(p + 96));
    const uint8_t* pw = p + 128;
    size_t k = 0;
    for (; k + 16 <= kc8; k += 16) {
      _mm_prefetch((const char*)pw + TSR_GEMV_AVX2_PREFETCH, _MM_HINT_T1);
      TSR_GEMV_AVX2_BLOCK8(widen8(a + k), pw);
      TSR_GEMV_AVX2_BLOCK8(widen8(a + k + 8), pw + 256);
      pw += 512;
    }
    if (k < kc8) {
      TSR_GEMV_AVX2_BLOCK8(widen8(a + k), pw);
      pw += 256;
    }
    if (tail_pairs != 0) {
      const __m256i av = widen8(a_tail);
      TSR_GEMV_AVX2_PAIR(_mm256_shuffle_epi32(av, 0x00), pw + 0);
      if (tail_pairs > 1) TSR_GEMV_AVX2_PAIR(_mm256_shuffle_epi32(av, 0x55), pw + 64);
      if (tail_pairs > 2) TSR_GEMV_AVX2_PAIR(_mm256_shuffle_epi32(av, 0xAA), pw + 128);
      if (tail_pairs > 3) TSR_GEMV_AVX2_PAIR(_mm256_shuffle_epi32(av, 0xFF), pw + 192);
    }

    /* Requantize exactly as tsr_qs8_requantize_fp32: fp32 multiply, clamp in
     * float, round half to even (vcvtps2dq, default MXCSR), add zero point. */
    const size_t count = nc - n0 < 32 ? nc - n0 : 32;
    float s[32];
    const float* ps = scale + n0;
    if (count < 32) {
      memset(s, 0, sizeof(s));
      memcpy(s, ps, count * sizeof(float));
      ps = s;
    }
    __m256i q[4];
    const __m256i acc[4] = {acc0, acc1, acc2, acc3};
    for (int g = 0; g < 4; g++) {
      __m256 vf = _mm256_mul_ps(_mm256_cvtepi32_ps(acc[g]), _mm256_loadu_ps(ps + 8 * g));
      vf = _mm256_min_ps(_mm256_max_ps(vf, vlo), vhi);
      q[g] = _mm256_add_epi32(_mm256_cvtps_epi32(vf), vzp);
    }
    /* Values are within [output_min, output_max], so the saturating packs are exact. */
    const __m256i q16 = _mm256_packs_epi16(_mm256_packs_epi32(q[0], q[1]),
                                           _mm256_packs_epi32(q[2], q[3]));
    const __m256i q8 = _mm256_permutevar8x32_epi32(q16, vorder);
    if (count == 32) {
      _mm256_storeu_si256((__m256i*)(c + n0), q8);
    } else {
      int8_t out[32];
      _mm256_storeu_si256((__m256i*)out, q8);
      memcpy(c + n0, out, count);
    }
  }
}

#endif /* TSR_GEMV_X86_64 */
