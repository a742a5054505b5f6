/*
 * f32-gemm-config.c — the f32-gemm kernel table (from include/tessera/f32-gemm.inc)
 * and its selection: the first enumerated kernel of the most capable variant the
 * CPU runs (AVX-512F, AVX2 + FMA, scalar), unless an ISA word (TESSERA_ISA)
 * forces one. The float kernels need no VNNI, so the ISA words map onto
 * variants: avx512vnni → avx512f, avxvnni → avx2 (message style as qd8-config.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tessera_kernels.h"
#include "../f32-gemm/f32-gemm.h"

#if defined(__x86_64__) || defined(_M_X64)
#define TSR_ARCH_X86_64 1
#else
#define TSR_ARCH_X86_64 0
#endif

#define TSR_F32_GEMM_KERNEL(name, isa_name, isa, features, mr, nr, ukernel, pack) \
  {name, isa_name, isa, features, mr, nr, ukernel, pack},

static const tsr_f32_gemm_kernel kernels[] = {
#include "tessera/f32-gemm.inc"
};

#undef TSR_F32_GEMM_KERNEL

size_t tsr_f32_gemm_kernel_count(void) { return sizeof(kernels) / sizeof(kernels[0]); }

const tsr_f32_gemm_kernel* tsr_f32_gemm_kernel_at(size_t index) {
  return index < tsr_f32_gemm_kernel_count() ? &kernels[index] : NULL;
}

int tsr_f32_gemm_kernel_supported(const tsr_f32_gemm_kernel* kernel) {
  return kernel != NULL && (tsr_cpu_features() & kernel->cpu_features) == kernel->cpu_features;
}

size_t tsr_f32_gemm_packed_panel_bytes(const tsr_f32_gemm_kernel* kernel, size_t kc) {
  return tsr_f32_gemm_panel_bytes(kernel->nr, kc);
}

size_t tsr_f32_gemm_packed_size(const tsr_f32_gemm_kernel* kernel, size_t n, size_t kc) {
  return (n + kernel->nr - 1) / kernel->nr * tsr_f32_gemm_packed_panel_bytes(kernel, kc);
}

/* The first enumerated kernel of a variant ("avx512f", "avx2", "scalar"); NULL if not compiled. */
static const tsr_f32_gemm_kernel* first_kernel(const char* isa_name) {
  for (size_t i = 0; i < tsr_f32_gemm_kernel_count(); i++) {
    if (strcmp(kernels[i].isa_name, isa_name) == 0) return &kernels[i];
  }
  return NULL;
}

static const char* const preference[] = {"avx512f", "avx2", "scalar"};

const tsr_f32_gemm_kernel* tsr_f32_gemm_select_kernel_for(const char* isa_word, char* err, size_t err_size) {
  if (err != NULL && err_size > 0) err[0] = '\0';
  if (isa_word != NULL && isa_word[0] != '\0') {
    const char* variant = NULL;
    const int isa = tsr_isa_from_name(isa_word);
    if (strcmp(isa_word, "avx512f") == 0 || isa == TSR_ISA_AVX512VNNI || isa == TSR_ISA_AVX512AMX) {
      variant = "avx512f";
    } else if (isa == TSR_ISA_AVX2 || isa == TSR_ISA_AVXVNNI) {
      variant = "avx2";
    } else if (isa == TSR_ISA_SCALAR || isa == TSR_ISA_NEONDOT || isa == TSR_ISA_NEONI8MM) {
      variant = "scalar";
    }
    const tsr_f32_gemm_kernel* k = variant != NULL ? first_kernel(variant) : NULL;
    const char* problem = NULL;
    if (variant == NULL) {
      problem = "unknown instruction set (expected scalar, avx2, avxvnni, avx512f, avx512vnni, avx512amx, neondot or neoni8mm)";
    } else if (k == NULL) {
      problem = "this build has no f32-gemm kernel for this instruction set";
    } else if (!tsr_f32_gemm_kernel_supported(k) || ((isa == TSR_ISA_NEONDOT || isa == TSR_ISA_NEONI8MM || isa == TSR_ISA_AVX512AMX) && !tsr_isa_supported((tsr_isa)isa))) {
      problem = "this CPU does not support this instruction set";
    }
    if (problem != NULL) {
      if (err != NULL && err_size > 0) snprintf(err, err_size, "TESSERA_ISA=%s: %s", isa_word, problem);
      return NULL;
    }
    return k;
  }
  for (size_t i = 0; i < sizeof(preference) / sizeof(preference[0]); i++) {
    const tsr_f32_gemm_kernel* k = first_kernel(preference[i]);
    if (k != NULL && tsr_f32_gemm_kernel_supported(k)) return k;
  }
  if (err != NULL && err_size > 0) snprintf(err, err_size, "no f32-gemm kernel is available");
  return NULL;
}

const tsr_f32_gemm_kernel* tsr_f32_gemm_select_kernel(char* err, size_t err_size) {
  return tsr_f32_gemm_select_kernel_for(getenv("TESSERA_ISA"), err, err_size);
}
