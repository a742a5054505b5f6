/*
 * tessera/spin-pause.h — the CPU's spin-wait hint, for Swift's thread pool.
 * Included by tessera_kernels.h.
 *
 * A worker waiting for the next job, or a caller waiting for the workers,
 * polls a shared word. Polling with a system call such as sched_yield() in the
 * loop costs microseconds per check (more in a virtual machine), which is as
 * long as a small GEMM; PAUSE (x86) or YIELD (ARM) tells the core it is in a
 * spin loop (saving power and the memory-order mis-speculation on exit) for
 * tens of nanoseconds instead. docs/performance.md has the measurement.
 */
#ifndef TESSERA_SPIN_PAUSE_H
#define TESSERA_SPIN_PAUSE_H

/** One spin-wait hint: x86 PAUSE, ARM YIELD, nothing elsewhere. */
static inline void tsr_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
  __asm__ __volatile__("yield" ::: "memory");
#endif
}

#endif /* TESSERA_SPIN_PAUSE_H */
