/*
 * gemm-config.c — picks the kernel for an operation, in one place: the first
 * enumerated kernel of the most capable ISA that is compiled and supported,
 * unless TESSERA_ISA forces an ISA. A GEMV request falls back to the same ISA's
 * GEMM kernel when no GEMV kernel exists for that ISA. The qs8 family has no
 * AMX kernels: AVX512AMX, chosen or forced, uses the AVX-512 VNNI kernels.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tessera_kernels.h"

/* Most capable first. */
static const tsr_isa preference[] = {
    TSR_ISA_AVX512AMX, TSR_ISA_AVX512VNNI, TSR_ISA_AVXVNNI, TSR_ISA_NEONI8MM, TSR_ISA_NEONDOT, TSR_ISA_AVX2, TSR_ISA_SCALAR,
};

static const char* isa_display_name(tsr_isa isa) {
  switch (isa) {
    case TSR_ISA_SCALAR: return "scalar";
    case TSR_ISA_AVX2: return "AVX2 + FMA";
    case TSR_ISA_AVXVNNI: return "AVX-VNNI";
    case TSR_ISA_AVX512VNNI: return "AVX-512 VNNI";
    case TSR_ISA_NEONDOT: return "NEON dot product";
    case TSR_ISA_NEONI8MM: return "NEON int8 matrix multiply (i8mm)";
    case TSR_ISA_AVX512AMX: return "AMX int8";
    default: return "unknown";
  }
}

static const tsr_qs8_kernel* first_kernel(tsr_op op, tsr_isa isa) {
  for (size_t i = 0; i < tsr_qs8_kernel_count(); i++) {
    const tsr_qs8_kernel* k = tsr_qs8_kernel_at(i);
    if (k->op == op && k->isa == isa) return k;
  }
  return NULL;
}

const tsr_qs8_kernel* tsr_qs8_kernel_for_isa(tsr_op op, tsr_isa isa) {
  if ((unsigned)isa >= TSR_ISA_COUNT || !tsr_isa_supported(isa)) return NULL;
  if (isa == TSR_ISA_AVX512AMX) isa = TSR_ISA_AVX512VNNI;
  const tsr_qs8_kernel* k = first_kernel(op, isa);
  if (k == NULL && op == TSR_OP_GEMV) k = first_kernel(TSR_OP_GEMM, isa);
  return k;
}

static void set_error(char* err, size_t err_size, const char* message, const char* word, const char* detail) {
  if (err != NULL && err_size > 0) snprintf(err, err_size, message, word, detail);
}

const tsr_qs8_kernel* tsr_qs8_select_kernel_for(tsr_op op, const char* isa_word, char* err, size_t err_size) {
  if (err != NULL && err_size > 0) err[0] = '\0';
  if (isa_word != NULL && isa_word[0] != '\0') {
    const int isa = tsr_isa_from_name(isa_word);
    if (isa < 0) {
      set_error(err, err_size, "TESSERA_ISA=%s: unknown instruction set (expected %s)", isa_word,
                "scalar, avx2, avxvnni, avx512vnni, avx512amx, neondot or neoni8mm");
      return NULL;
    }
    if (!tsr_isa_compiled((tsr_isa)isa)) {
      set_error(err, err_size, "TESSERA_ISA=%s: this build has no %s kernels", isa_word,
                isa_display_name((tsr_isa)isa));
      return NULL;
    }
    if (!tsr_isa_supported((tsr_isa)isa)) {
      set_error(err, err_size, "TESSERA_ISA=%s: this CPU does not support %s", isa_word,
                isa_display_name((tsr_isa)isa));
      return NULL;
    }
    const tsr_qs8_kernel* k = tsr_qs8_kernel_for_isa(op, (tsr_isa)isa);
    if (k == NULL) {
      set_error(err, err_size, "TESSERA_ISA=%s: this build has no %s kernel for this operation", isa_word,
                isa_display_name((tsr_isa)isa));
    }
    return k;
  }
  for (size_t i = 0; i < sizeof(preference) / sizeof(preference[0]); i++) {
    const tsr_qs8_kernel* k = tsr_qs8_kernel_for_isa(op, preference[i]);
    if (k != NULL) return k;
  }
  set_error(err, err_size, "%s%s", "no int8 kernel is available for this operation", "");
  return NULL;
}

const tsr_qs8_kernel* tsr_qs8_select_kernel(tsr_op op, char* err, size_t err_size) {
  return tsr_qs8_select_kernel_for(op, getenv("TESSERA_ISA"), err, err_size);
}
