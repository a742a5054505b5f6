/*
 * 1x32c4-neondot.c — batch-1 GEMV with Armv8.2 `sdot`, 32 columns per panel.
 *
 * Layout: nr×kr with NR = 32, KR = 4, signed weights and biases packed by
 * tsr_qs8_qc8w_pack_gemv_nrxkr_s8 (portable twin 1x32c4-scalar.c). One
 * 16-byte weight load is 4 columns × 4 K; `sdot` by lane multiplies it by
 * 4 activations of a 16-byte A register (lane l = A[k + 4l … k + 4l + 3]).
 * Eight int32 accumulators (32 columns, started from the packed biases) are
 * independent chains; the weights are read once, front to back. No software
 * prefetch: it is untuned (no AArch64 hardware to measure on; see
 * docs/kernels.md).
 */
#include <assert.h>
#include <string.h>

#include "qs8-qc8w-gemv.h"

#if defined(__aarch64__)
#include <arm_neon.h>

#include "../qs8-qc8w-gemm/qs8-qc8w-gemm.h"
#include "../qs8-qc8w-gemm/neon-requantize.h"

/* acc[q] += Σ_{4 k} A·W for columns 4q … 4q+3 of one K block (128 weight bytes). */
#define TSR_GEMV_NEONDOT_BLOCK(va, lane, pw)                               \
  do {                                                                     \
    acc0 = vdotq_laneq_s32(acc0, vld1q_s8((pw) + 0), va, lane);            \
    acc1 = vdotq_laneq_s32(acc1, vld1q_s8((pw) + 16), va, lane);           \
    acc2 = vdotq_laneq_s32(acc2, vld1q_s8((pw) + 32), va, lane);           \
    acc3 = vdotq_laneq_s32(acc3, vld1q_s8((pw) + 48), va, lane);           \
    acc4 = vdotq_laneq_s32(acc4, vld1q_s8((pw) + 64), va, lane);           \
    acc5 = vdotq_laneq_s32(acc5, vld1q_s8((pw) + 80), va, lane);           \
    acc6 = vdotq_laneq_s32(acc6, vld1q_s8((pw) + 96), va, lane);           \
    acc7 = vdotq_laneq_s32(acc7, vld1q_s8((pw) + 112), va, lane);          \
  } while (0)

TSR_TARGET_NEONDOT void tsr_qs8_qc8w_gemv_minmax_fp32_ukernel_1x32c4__neondot(
    size_t mr, size_t nc, size_t kc, const int8_t* a, size_t a_stride,
    const void* w, int8_t* c, size_t c_stride,
    const float* scale, const tsr_qs8_minmax_params* params) {
  assert(mr <= 1);
  (void)a_stride;
  (void)c_stride;
  if (mr == 0 || nc == 0) return;
  const size_t panel = tsr_goi_panel_bytes(32, 4, kc);
  const size_t kc16 = kc & ~(size_t)15;
  /* The last < 16 activations, zero-filled (the weights past kc are zero too). */
  int8_t a_tail[16] = {0};
  memcpy(a_tail, a + kc16, kc - kc16);
  const size_t tail_blocks = (kc - kc16 + 3) / 4;
  const tsr_neon_qs8_out out = tsr_neon_qs8_out_init(params);

  const uint8_t* p = (const uint8_t*)w;
  for (size_t n0 = 0; n0 < nc; n0 += 32, p += panel) {
    const int32_t* bias = (const int32_t*)p;
    int32x4_t acc0 = vld1q_s32(bias + 0), acc1 = vld1q_s32(bias + 4);
    int32x4_t acc2 = vld1q_s32(bias + 8), acc3 = vld1q_s32(bias + 12);
    int32x4_t acc4 = vld1q_s32(bias + 16), acc5 = vld1q_s32(bias + 20);
    int32x4_t acc6 = vld1q_s32(bias + 24), acc7 = vld1q_s32(bias + 28);
    const int8_t* pw = (const int8_t*)(p + 32 * sizeof(int32_t));
    for (size_t k = 0; k < kc16; k += 16) {
      const int8x16_t va = vld1q_s8(a + k);
      TSR_GEMV_NEONDOT_BLOCK(va, 0, pw);
      TSR_GEMV_NEONDOT_BLOCK(va, 1, pw + 128);
      TSR_GEMV_NEONDOT_BLOCK(va, 2, pw + 256);
      TSR_GEMV_NEONDOT_BLOCK(va, 3, pw + 384);
      pw += 512;
    }
    if (tail_blocks != 0) {
      const int8x16_t va = vld1q_s8(a_tail);
      TSR_GEMV_NEONDOT_BLOCK(va, 0, pw);
      if (tail_blocks > 1) TSR_GEMV_NEONDOT_BLOCK(va, 1, pw + 128);
      if (tail_blocks > 2) TSR_GEMV_NEONDOT_BLOCK(va, 2, pw + 256);
      if (tail_blocks > 3) TSR_GEMV_NEONDOT_BLOCK(va, 3, pw + 384);
    }

    /* Requantize exactly as tsr_qs8_requantize_fp32 (neon-requantize.h). */
    const size_t count = nc - n0 < 32 ? nc - n0 : 32;
    float s[32] = {0};
    const float* ps = scale + n0;
    if (count < 32) {
      memcpy(s, ps, count * sizeof(float));
      ps = s;
    }
    const int32x4_t acc[8] = {acc0, acc1, acc2, acc3, acc4, acc5, acc6, acc7};
    int8_t q[32];
    for (int g = 0; g < 4; g++) {
      const int32x4_t lo = tsr_neon_qs8_requantize(acc[2 * g], vld1q_f32(ps + 8 * g), out);
      const int32x4_t hi = tsr_neon_qs8_requantize(acc[2 * g + 1], vld1q_f32(ps + 8 * g + 4), out);
      vst1_s8(q + 8 * g, tsr_neon_qs8_narrow(lo, hi));
    }
    memcpy(c + n0, q, count);
  }
}

#endif /* __aarch64__ */
