#ifndef TESSERA_BENCHMARKS_CXNNPACK_SHIM_H
#define TESSERA_BENCHMARKS_CXNNPACK_SHIM_H
/* XNNPACK operator API (Debian: libxnnpack-dev, a 2022 snapshot) and its thread pool. */
#include <pthreadpool.h>
#include <xnnpack.h>
#endif
