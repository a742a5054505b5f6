/*
 * 1x64c4-avx512vnni.c — batch-1 GEMV on AVX-512 VNNI, 64 columns per panel.
 *
 * Layout: nr×kr with NR = 64, KR = 4, biases packed by
 * tsr_qs8_qc8w_pack_gemv_nrxkr_u8 (they already hold −(a_zero_point + 128)·colsum).
 * Each 4-byte group of A is XOR-ed with 0x80 (= A + 128 as uint8), broadcast,
 * and fed to vpdpbusd against the 4 zmm (= 256 bytes, 64 columns × 4 k) of the
 * K block. Two K blocks per iteration feed two sets of 4 accumulators (8
 * independent chains); the int32 accumulators stay in registers across the
 * whole K and are summed once before the requantization. The packed weights are
 * read exactly once, front to back, with software prefetch ahead of the stream
 * (batch 1 is bound by that stream: one weight byte per MAC, no reuse).
 */
#include <assert.h>
#include <string.h>

#include "qs8-qc8w-gemv.h"

#if TSR_GEMV_X86_64
#include <immintrin.h>

/* Software prefetch: one prefetcht1 (into L2) per 512-byte iteration, 16 KiB
 * ahead of the stream; the L2 streamer fetches the neighbouring lines. Measured
 * on Zen 4 against no prefetch, T0/T1/T2 hints, 1 KiB…32 KiB distances and one
 * prefetch per 64…512 bytes (round-robin timing, one thread): within 2% when the weights sit in L2,
 * +15% for 16 MiB in L3, +50% from DRAM. Per-line T0 prefetch cost 7–12%. */
#ifndef TSR_GEMV_VNNI_PREFETCH
#define TSR_GEMV_VNNI_PREFETCH 16384
#endif
/* The hint, overridable for experiments (_MM_HINT_T0, _MM_HINT_T1, _MM_HINT_T2, _MM_HINT_NTA). */
#ifndef TSR_GEMV_VNNI_PREFETCH_HINT
#define TSR_GEMV_VNNI_PREFETCH_HINT _MM_HINT_T1
#endif

#define TSR_TARGET_VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))

TSR_TARGET_VNNI static inline __m512i broadcast_u8x4(uint32_t a4) {
  return _mm512_xor_si512(_mm512_set1_epi32((int32_t)a4), _mm512_set1_epi8((char)0x80));
}

TSR_TARGET_VNNI void tsr_qs8_qc8w_gemv_minmax_fp32_ukernel_1x64c4__avx512vnni(
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
  const __m512 vlo = _mm512_set1_ps((float)((int32_t)params->output_min - params->output_zero_point));
  const __m512 vhi = _mm512_set1_ps((float)((int32_t)params->output_max - params->output_zero_point));
  const __m512i vzp = _mm512_set1_epi32(params->output_zero_point);

  const uint8_t* p = (const uint8_t*)w;
  for (size_t n0 = 0; n0 < nc; n0 += 64, p += panel) {
    __m512i acc0 = _mm512_loadu_si512(p + 0);
    __m512i acc1 = _mm512_loadu_si512(p + 64);
    __m512i acc2 = _mm512_loadu_si512(p + 128);
    __m512i acc3 = _mm512_loadu_si512(p + 192);
    __m512i acc4 = _mm512_setzero_si512();
    __m512i acc5 = _mm512_setzero_si512();
    __m512i acc6 = _mm512_setzero_si512();
    __m512i acc7 = _mm512_setzero_si512();
    const uint8_t* pw = p + 256;
    size_t k = 0;
    for (; k + 8 <= kc; k += 8) {
      _mm_prefetch((const char*)pw + TSR_GEMV_VNNI_PREFETCH, TSR_GEMV_VNNI_PREFETCH_HINT);
      uint32_t a0, a1;
      memcpy(&a0, a + k, 4);
      memcpy(&a1, a + k + 4, 4);
      const __m512i va0 = broadcast_u8x4(a0);
      const __m512i va1 = broadcast_u8x4(a1);
      acc0 = _mm512_dpbusd_epi32(acc0, va0, _mm512_loadu_si512(pw + 0));
      acc1 = _mm512_dpbusd_epi32(acc1, va0, _mm512_loadu_si512(pw + 64));
      acc2 = _mm512_dpbusd_epi32(acc2, va0, _mm512_loadu_si512(pw + 128));
      acc3 = _mm512_dpbusd_epi32(acc3, va0, _mm512_loadu_si512(pw + 192));
      acc4 = _mm512_dpbusd_epi32(acc4, va1, _mm512_loadu_si512(pw + 256));
      acc5 = _mm512_dpbusd_epi32(acc5, va1, _mm512_loadu_si512(pw + 320));
      acc6 = _mm512_dpbusd_epi32(acc6, va1, _mm512_loadu_si512(pw + 384));
      acc7 = _mm512_dpbusd_epi32(acc7, va1, _mm512_loadu_si512(pw + 448));
      pw += 512;
    }
    if (k < kc) {
      /* One or two K blocks left; the last may be partial (A zero-padded,
       * weights zero-padded by the packer). */
      uint32_t a0 = a_tail;
      if (k + 4 <= kc) memcpy(&a0, a + k, 4);
      const __m512i va0 = broadcast_u8x4(a0);
      acc0 = _mm512_dpbusd_epi32(acc0, va0, _mm512_loadu_si512(pw + 0));
      acc1 = _mm512_dpbusd_epi32(acc1, va0, _mm512_loadu_si512(pw + 64));
      acc2 = _mm512_dpbusd_epi32(acc2, va0, _mm512_loadu_si512(pw + 128));
      acc3 = _mm512_dpbusd_epi32(acc3, va0, _mm512_loadu_si512(pw + 192));
      if (k + 4 < kc) {
        const __m512i va1 = broadcast_u8x4(a_tail);
        acc4 = _mm512_dpbusd_epi32(acc4, va1, _mm512_loadu_si512(pw + 256));
        acc5 = _mm512_dpbusd_epi32(acc5, va1, _mm512_loadu_si512(pw + 320));
        acc6 = _mm512_dpbusd_epi32(acc6, va1, _mm512_loadu_si512(pw + 384));
        acc7 = _mm512_dpbusd_epi32(acc7, va1, _mm512_loadu_si512(pw + 448));
      }
    }
    __m512i acc[4] = {
        _mm512_add_epi32(acc0, acc4), _mm512_add_epi32(acc1, acc5),
        _mm512_add_epi32(acc2, acc6), _mm512_add_epi32(acc3, acc7)};

    /* Requantize exactly as tsr_qs8_requantize_fp32: fp32 multiply, clamp in
     * float, round half to even (vcvtps2dq, default MXCSR), add zero point. */
    const size_t count = nc - n0 < 64 ? nc - n0 : 64;
    for (size_t g = 0; g < 4; g++) {
      const size_t start = 16 * g;
      if (start >= count) break;
      const size_t lanes = count - start < 16 ? count - start : 16;
      const __mmask16 mask = (__mmask16)((1u << lanes) - 1u);
      const __m512 vs = _mm512_maskz_loadu_ps(mask, scale + n0 + start);
      __m512 vf = _mm512_mul_ps(_mm512_cvtepi32_ps(acc[g]), vs);
      vf = _mm512_min_ps(_mm512_max_ps(vf, vlo), vhi);
      const __m512i vq = _mm512_add_epi32(_mm512_cvtps_epi32(vf), vzp);
      _mm512_mask_cvtepi32_storeu_epi8(c + n0 + start, mask, vq);
    }
  }
}

#endif /* TSR_GEMV_X86_64 */
