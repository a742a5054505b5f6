/*
 * pack-goi.h — the one packer behind every kernel layout (internal to CTesseraKernels).
 *
 * The GEMM "goi" and GEMV "nr×kr" layouts are the same arrangement: ceil(N / NR)
 * panels of round_up(NR·4 + NR·round_up(K, KR), 64) bytes, each holding NR int32
 * adjusted biases, then for each K group g of KR and each column j < NR the KR
 * weights W[n0 + j][g·KR .. g·KR + KR), zero bytes past N and past K. The pack
 * functions of both differ only in the input offset folded into the biases and
 * in a byte XOR-ed into every stored weight.
 */
#ifndef TESSERA_PACK_GOI_H
#define TESSERA_PACK_GOI_H

#include <stddef.h>
#include <stdint.h>

/** Bytes of one panel (tsr_qs8_qc8w_packed_panel_bytes uses the same rule). */
static inline size_t tsr_goi_panel_bytes(size_t nr, size_t kr, size_t kc) {
  const size_t kc_padded = (kc + kr - 1) / kr * kr;
  return (nr * sizeof(int32_t) + nr * kc_padded + 63) & ~(size_t)63;
}

/**
 * Packs W[N][K] (row stride w_stride) and bias (NULL = 0) into panels:
 * adjusted bias = bias − input_offset · Σ_k W[n][k] (uint32 arithmetic, so it
 * wraps like the int32 accumulators); each stored weight byte is W XOR flip
 * (0 keeps signed weights, 0x80 stores W + 128 as uint8); padding stays 0.
 */
void tsr_pack_goi(
    size_t n, size_t kc, size_t nr, size_t kr,
    const int8_t* w, size_t w_stride,
    const int32_t* bias, int32_t input_offset, uint8_t flip,
    void* packed);

#endif /* TESSERA_PACK_GOI_H */
