/*
 * amx-tile-config.h — the 64-byte operand of ldtilecfg (palette 1) and a loader
 * that tells the compiler all 64 bytes are read. GCC 12's _tile_loadconfig
 * declares an 8-byte memory operand, so GCC drops the stores of the row and
 * column counts as dead and the CPU faults on the half-written configuration;
 * this asm names the whole struct instead (clang's builtin is fine either way).
 */
#ifndef TESSERA_AMX_TILE_CONFIG_H
#define TESSERA_AMX_TILE_CONFIG_H

#include <stdint.h>

typedef struct tsr_amx_tile_config {
  uint8_t palette_id;  /* 1: 8 tiles of up to 16 rows × 64 bytes */
  uint8_t start_row;   /* 0 */
  uint8_t reserved[14];
  uint16_t colsb[16];  /* bytes per row of tile t (0 = unused) */
  uint8_t rows[16];    /* rows of tile t (0 = unused) */
} tsr_amx_tile_config;

#if defined(__x86_64__) || defined(_M_X64)
static inline void tsr_amx_load_config(const tsr_amx_tile_config* cfg) {
  __asm__ volatile("ldtilecfg %0" : : "m"(*cfg));
}
#endif

#endif /* TESSERA_AMX_TILE_CONFIG_H */
