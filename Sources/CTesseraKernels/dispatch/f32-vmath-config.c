/*
 * f32-vmath-config.c — the float vector-math variants (one config per ISA)
 * and their selection, in one place: the most capable variant the CPU runs
 * (AVX-512F, AVX2 + FMA, scalar), unless TESSERA_ISA names an ISA word.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tessera_kernels.h"
#include "../f32-vmath/f32-vmath.h"

#define TSR_F32_VMATH_CONFIG(isa, features)                                                          \
  {                                                                                                  \
    #isa, features, tsr_f32_vexp_ukernel__##isa, tsr_f32_verf_ukernel__##isa,                        \
        tsr_f32_vgelu_erf_ukernel__##isa, tsr_f32_vgelu_tanh_ukernel__##isa,                         \
        tsr_f32_softmax_rows_ukernel__##isa, tsr_f32_layernorm_rows_ukernel__##isa,                  \
        tsr_f32_add_layernorm_rows_ukernel__##isa, tsr_f32_row_sumsq_ukernel__##isa,                 \
        tsr_f32_l2_normalize_rows_ukernel__##isa                                                     \
  }

/* Least capable first; selection walks it backwards. */
static const tsr_f32_vmath_config configs[] = {
    TSR_F32_VMATH_CONFIG(scalar, 0),
#if TSR_VMATH_X86_64
    TSR_F32_VMATH_CONFIG(avx2, TSR_CPU_AVX2 | TSR_CPU_FMA),
    TSR_F32_VMATH_CONFIG(avx512f, TSR_CPU_AVX512F),
#endif
};

#undef TSR_F32_VMATH_CONFIG

size_t tsr_f32_vmath_count(void) { return sizeof(configs) / sizeof(configs[0]); }

const tsr_f32_vmath_config* tsr_f32_vmath_at(size_t index) {
  return index < tsr_f32_vmath_count() ? &configs[index] : NULL;
}

int tsr_f32_vmath_supported(const tsr_f32_vmath_config* config) {
  return config != NULL && (tsr_cpu_features() & config->cpu_features) == config->cpu_features;
}

static const tsr_f32_vmath_config* named(const char* name) {
  for (size_t i = 0; i < tsr_f32_vmath_count(); i++) {
    const char* a = configs[i].name;
    const char* b = name;
    while (*a != '\0' && *a == *b) a++, b++;
    if (*a == *b) return tsr_f32_vmath_supported(&configs[i]) ? &configs[i] : NULL;
  }
  return NULL;
}

const tsr_f32_vmath_config* tsr_f32_vmath_for_isa(tsr_isa isa) {
  if ((unsigned)isa >= TSR_ISA_COUNT || !tsr_isa_supported(isa)) return NULL;
  switch (isa) {
    case TSR_ISA_AVX2:
    case TSR_ISA_AVXVNNI: return named("avx2");
    case TSR_ISA_AVX512VNNI:
    case TSR_ISA_AVX512AMX: return named("avx512f");
    default: return named("scalar");
  }
}

const tsr_f32_vmath_config* tsr_f32_vmath_select(const char* isa_word, char* err, size_t err_size) {
  if (err != NULL && err_size > 0) err[0] = '\0';
  if (isa_word != NULL && isa_word[0] != '\0') {
    const int isa = tsr_isa_from_name(isa_word);
    if (isa < 0) {
      if (err != NULL && err_size > 0) {
        snprintf(err, err_size, "TESSERA_ISA=%s: unknown instruction set (expected %s)", isa_word,
                 "scalar, avx2, avxvnni, avx512vnni, avx512amx, neondot or neoni8mm");
      }
      return NULL;
    }
    const tsr_f32_vmath_config* config = tsr_f32_vmath_for_isa((tsr_isa)isa);
    if (config == NULL && err != NULL && err_size > 0) {
      snprintf(err, err_size, "TESSERA_ISA=%s: this CPU does not support %s", isa_word, isa_word);
    }
    return config;
  }
  for (size_t i = tsr_f32_vmath_count(); i-- > 0;) {
    if (tsr_f32_vmath_supported(&configs[i])) return &configs[i];
  }
  return &configs[0];
}

const tsr_f32_vmath_config* tsr_f32_vmath(void) { return tsr_f32_vmath_select(getenv("TESSERA_ISA"), NULL, 0); }
