/*
 * 1x64c4-avxvnni.c — batch-1 GEMV on AVX-VNNI (VEX vpdpbusd on ymm), 64 columns
 * per panel, for CPUs with AVX-VNNI but no AVX-512 (dispatch prefers the
 * AVX-512 VNNI kernel when both exist; TESSERA_ISA=avxvnni forces this one).
 *
 * Layout: nr×kr with NR = 64, KR = 4, the same packing as 1x64c4__avx512vnni
 * (tsr_qs8_qc8w_pack_gemv_nrxkr_u8: biases already hold −(a_zero_point + 128)·colsum,
 * weights signed). Each 4-byte group of A is XOR-ed with 0x80 (= A + 128 as uint8),
 * broadcast, and fed to vpdpbusd against the 8 ymm (= 256 bytes, 64 columns × 4 k)
 * of the K block: 8 accumulators (one per 8 columns) + 1 broadcast + 1 constant of
 * the 16 ymm. Two K blocks per loop iteration (512 bytes) share one software
 * prefetch, placed as in the AVX-512 kernel (16 KiB ahead, prefetcht1). The
 * weights are read once, front to back, as one sequential stream.
 */
#include <assert.h>
#include <string.h>

#include "qs8-qc8w-gemv.h"

#if TSR_GEMV_X86_64
#include <immintrin.h>

#ifndef TSR_GEMV_AVXVNNI_PREFETCH
#define TSR_GEMV_AVXVNNI_PREFETCH 16384
#endif

#define TSR_TARGET_AVXVNNI_GEMV __attribute__((target("avx2,fma,avxvnni")))

TSR_TARGET_AVXVNNI_GEMV static inline __m256i avxvnni_broadcast_u8x4(uint32_t a4) {
  return _mm256_xor_si256(_mm256_set1_epi32((int32_t)a4), _mm256_set1_epi8((char)0x80));
}

/* acc[j] += Σ over one K block: (A + 128) · W for columns 8j … 8j+7. */
#define TSR_AVXVNNI_BLOCK(va, pw)                                                               \
  do {                                                                                          \
    acc0 = _mm256_dpbusd_avx_epi32(acc0, va, _mm256_loadu_si256((const __m256i*)((pw) + 0)));   \
    acc1 = _mm256_dpbusd_avx_epi32(acc1, va, _mm256_loadu_si256((const __m256i*)((pw) + 32)));  \
    acc2 = _mm256_dpbusd_avx_epi32(acc2, va, _mm256_loadu_si256((const __m256i*)((pw) + 64)));  \
    acc3 = _mm256_dpbusd_avx_epi32(acc3, va, _mm256_loadu_si256((const __m256i*)((pw) + 96)));  \
    acc4 = _mm256_dpbusd_avx_epi32(acc4, va, _mm256_loadu_si256((const __m256i*)((pw) + 128))); \
    acc5 = _mm256_dpbusd_avx_epi32(acc5, va, _mm256_loadu_si256((const __m256i*)((pw) + 160))); \
    acc6 = _mm256_dpbusd_avx_epi32(acc6, va, _mm256_loadu_si256((const __m256i*)((pw) + 192))); \
    acc7 = _mm256_dpbusd_avx_epi32(acc7, va, _mm256_loadu_si256((const __m256i*)((pw) + 224))); \
  } while (0)

TSR_TARGET_AVXVNNI_GEMV void tsr_qs8_qc8w_gemv_minmax_fp32_ukernel_1x64c4__avxvnni(
    size_t mr, size_t nc, size_t kc, const int8_t* a, size_t a_stride,
    const void* w, int8_t* c, size_t c_stride,
    const float* scale, const tsr_qs8_minmax_params* params) {
  assert(mr <= 1);
  (void)a_stride;
  (void)c_stride;
  if (mr == 0 || nc == 0) return;
  const size_t panel = tsr_goi_panel_bytes(64, 4, kc);
  const size_t kc4 = kc & ~(size_t)3;
  uint32_t a_tail = 0;
  memcpy(&a_tail, a + kc4, kc - kc4);
  const __m256 vlo = _mm256_set1_ps((float)((int32_t)params->output_min - params->output_zero_point));
  const __m256 vhi = _mm256_set1_ps((float)((int32_t)params->output_max - params->output_zero_point));
  const __m256i vzp = _mm256_set1_epi32(params->output_zero_point);

  const uint8_t* p = (const uint8_t*)w;
  for (size_t n0 = 0; n0 < nc; n0 += 64, p += panel) {
    __m256i acc0 = _mm256_loadu_si256((const __m256i*)(p + 0));
    __m256i acc1 = _mm256_loadu_si256((const __m256i*)(p + 32));
    __m256i acc2 = _mm256_loadu_si256((const __m256i*)(p + 64));
    __m256i acc3 = _mm256_loadu_si256((const __m256i*)(p + 96));
    __m256i acc4 = _mm256_loadu_si256((const __m256i*)(p + 128));
    __m256i acc5 = _mm256_loadu_si256((const __m256i*)(p + 160));
    __m256i acc6 = _mm256_loadu_si256((const __m256i*)(p + 192));
    __m256i acc7 = _mm256_loadu_si256((const __m256i*)(p + 224));
    const uint8_t* pw = p + 256;
    size_t k = 0;
    for (; k + 8 <= kc; k += 8) {
      _mm_prefetch((const char*)pw + TSR_GEMV_AVXVNNI_PREFETCH, _MM_HINT_T1);
      uint32_t a0, a1;
      memcpy(&a0, a + k, 4);
      memcpy(&a1, a + k + 4, 4);
      const __m256i va0 = avxvnni_broadcast_u8x4(a0);
      TSR_AVXVNNI_BLOCK(va0, pw);
      const __m256i va1 = avxvnni_broadcast_u8x4(a1);
      TSR_AVXVNNI_BLOCK(va1, pw + 256);
      pw += 512;
    }
    if (k < kc) {
      /* One or two K blocks left; the last may be partial (A zero-padded,
       * weights zero-padded by the packer). */
      uint32_t a0 = a_tail;
      if (k + 4 <= kc) memcpy(&a0, a + k, 4);
      const __m256i va0 = avxvnni_broadcast_u8x4(a0);
      TSR_AVXVNNI_BLOCK(va0, pw);
      if (k + 4 < kc) {
        const __m256i va1 = avxvnni_broadcast_u8x4(a_tail);
        TSR_AVXVNNI_BLOCK(va1, pw + 256);
      }
    }
    const __m256i acc[8] = {acc0, acc1, acc2, acc3, acc4, acc5, acc6, acc7};

    /* Requantize exactly as tsr_qs8_requantize_fp32: fp32 multiply, clamp in
     * float, round half to even (vcvtps2dq, default MXCSR), add zero point; the
     * two saturating packs never saturate (values are already in range). */
    const size_t count = nc - n0 < 64 ? nc - n0 : 64;
    for (size_t g = 0; g < 8; g++) {
      const size_t start = 8 * g;
      if (start >= count) break;
      const size_t lanes = count - start < 8 ? count - start : 8;
      float s8[8] = {0};
      const float* sg = scale + n0 + start;
      if (lanes < 8) {
        memcpy(s8, sg, lanes * sizeof(float));
        sg = s8;
      }
      __m256 vf = _mm256_mul_ps(_mm256_cvtepi32_ps(acc[g]), _mm256_loadu_ps(sg));
      vf = _mm256_min_ps(_mm256_max_ps(vf, vlo), vhi);
      const __m256i vq = _mm256_add_epi32(_mm256_cvtps_epi32(vf), vzp);
      const __m128i q16 = _mm_packs_epi32(_mm256_castsi256_si128(vq), _mm256_extracti128_si256(vq, 1));
      const __m128i q8 = _mm_packs_epi16(q16, q16);
      if (lanes == 8) {
        _mm_storel_epi64((__m128i*)(c + n0 + start), q8);
      } else {
        int8_t bytes[16];
        _mm_storeu_si128((__m128i*)bytes, q8);
        memcpy(c + n0 + start, bytes, lanes);
      }
    }
  }
}

#undef TSR_AVXVNNI_BLOCK

#endif /* TSR_GEMV_X86_64 */
