/*
 * qs8-qc8w-gemv.h — batch-1 (mr == 1) qs8 × qc8w GEMV micro-kernels and the
 * pack functions that produce their layouts (internal to CTesseraKernels).
 *
 * Packed layout "nr×kr" (both pack functions): ceil(N / NR) panels of
 * round_up(NR·4 + NR·round_up(K, KR), 64) bytes. A panel holds NR int32
 * adjusted biases, then for each K block kb of KR: for each column j < NR:
 * the KR weights W[n0 + j][kb·KR .. kb·KR + KR) (zeros past N and past K).
 * A kernel walks the weights once, front to back, as one sequential stream.
 *
 * The two packers differ only in the folded input offset:
 *   _s8: bias − a_zero_point · colsum         (kernels multiply signed int8 A)
 *   _u8: bias − (a_zero_point + 128) · colsum (kernels multiply A XOR 0x80 =
 *        A + 128 as uint8, as vpdpbusd requires)
 */
#ifndef TESSERA_QS8_QC8W_GEMV_H
#define TESSERA_QS8_QC8W_GEMV_H

#include <stddef.h>
#include <stdint.h>

#include "tessera_kernels.h"
#include "../packw/pack-goi.h"

#if defined(__x86_64__) || defined(_M_X64)
#define TSR_GEMV_X86_64 1
#else
#define TSR_GEMV_X86_64 0
#endif

/* MARK: - Pack functions (tsr_qs8_qc8w_pack_fn) */

void tsr_qs8_qc8w_pack_gemv_nrxkr_s8(
    size_t n, size_t kc, size_t nr, size_t kr,
    const int8_t* w, size_t w_stride,
    const int32_t* bias, int32_t a_zero_point,
    void* packed);

void tsr_qs8_qc8w_pack_gemv_nrxkr_u8(
    size_t n, size_t kc, size_t nr, size_t kr,
    const int8_t* w, size_t w_stride,
    const int32_t* bias, int32_t a_zero_point,
    void* packed);


/* MARK: - Micro-kernels (tsr_qs8_qc8w_gemm_ukernel_fn, mr must be 1) */

#define TSR_GEMV_UKERNEL(name)                                         \
  void name(size_t mr, size_t nc, size_t kc, const int8_t* a,          \
            size_t a_stride, const void* w, int8_t* c, size_t c_stride, \
            const float* scale, const tsr_qs8_minmax_params* params)

TSR_GEMV_UKERNEL(tsr_qs8_qc8w_gemv_minmax_fp32_ukernel_1x32c2__scalar);
TSR_GEMV_UKERNEL(tsr_qs8_qc8w_gemv_minmax_fp32_ukernel_1x64c4__scalar);
#if TSR_GEMV_X86_64
TSR_GEMV_UKERNEL(tsr_qs8_qc8w_gemv_minmax_fp32_ukernel_1x32c2__avx2);
TSR_GEMV_UKERNEL(tsr_qs8_qc8w_gemv_minmax_fp32_ukernel_1x64c4__avx512vnni);
TSR_GEMV_UKERNEL(tsr_qs8_qc8w_gemv_minmax_fp32_ukernel_1x64c4__avxvnni);
#endif

/* AArch64 (see qs8-qc8w-gemm.h for the target attributes). NR = 32, KR = 4, packed _s8. */
TSR_GEMV_UKERNEL(tsr_qs8_qc8w_gemv_minmax_fp32_ukernel_1x32c4__scalar);
#if defined(__aarch64__)
TSR_GEMV_UKERNEL(tsr_qs8_qc8w_gemv_minmax_fp32_ukernel_1x32c4__neondot);
#endif

#endif /* TESSERA_QS8_QC8W_GEMV_H */
