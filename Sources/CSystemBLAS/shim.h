#ifndef TESSERA_CSYSTEMBLAS_SHIM_H
#define TESSERA_CSYSTEMBLAS_SHIM_H
/* The system BLAS and LAPACK C interfaces (Debian: libopenblas-dev + liblapacke-dev). */
#include <cblas.h>
#include <lapacke.h>
#endif
