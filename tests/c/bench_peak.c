/*
 * bench_peak — prints the measured single-thread instruction peaks (a tool, not a test).
 * Usage: bench_peak [seconds-per-kind]   (default 0.5)
 */
#include <stdio.h>
#include <stdlib.h>

#include "tessera_peak.h"

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? atof(argv[1]) : 0.5;
  printf("%-18s %12s\n", "kind", "GOP/s");
  for (int kind = 0; kind < TSR_PEAK_COUNT; kind++) {
    if (!tsr_peak_supported((tsr_peak_kind)kind)) {
      printf("%-18s %12s\n", tsr_peak_name((tsr_peak_kind)kind), "unsupported");
      continue;
    }
    printf("%-18s %12.1f\n", tsr_peak_name((tsr_peak_kind)kind),
           tsr_peak_gops((tsr_peak_kind)kind, seconds));
  }
  return 0;
}
