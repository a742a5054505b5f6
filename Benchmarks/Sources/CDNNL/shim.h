#ifndef TESSERA_BENCHMARKS_CDNNL_SHIM_H
#define TESSERA_BENCHMARKS_CDNNL_SHIM_H
/* oneDNN's C API (Debian: libdnnl-dev); the peers use dnnl_gemm_u8s8s32. */
#include <dnnl.h>
#endif
