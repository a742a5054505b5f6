/* Placeholder so the target has a source file; replaced by the kernel sources. */
#include "tessera_kernels.h"
