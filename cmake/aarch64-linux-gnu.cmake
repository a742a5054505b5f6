# Cross-compiling the standalone C kernels for 64-bit Arm Linux with Debian's
# gcc-aarch64-linux-gnu (libc in /usr/aarch64-linux-gnu), e.g.
#   cmake -S . -B build-aarch64 -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake
# Executables (ctest) run through qemu-user: CMAKE_CROSSCOMPILING_EMULATOR is
# qemu-aarch64 with the target's libc and the CPU model in TESSERA_QEMU_CPU
# (default "max": dotprod and i8mm present). The library is built for plain
# armv8-a; the dotprod/i8mm kernels carry per-function target attributes.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(TESSERA_AARCH64_PREFIX "aarch64-linux-gnu" CACHE STRING "Cross tool prefix")
set(TESSERA_AARCH64_SYSROOT "/usr/aarch64-linux-gnu" CACHE PATH "Target libc directory (qemu -L)")
set(TESSERA_QEMU_CPU "max" CACHE STRING "qemu-aarch64 -cpu model for ctest")

# The cross GCC unless another compiler is given with -DCMAKE_C_COMPILER.
if(NOT CMAKE_C_COMPILER)
  set(CMAKE_C_COMPILER ${TESSERA_AARCH64_PREFIX}-gcc)
endif()

set(CMAKE_FIND_ROOT_PATH ${TESSERA_AARCH64_SYSROOT})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

find_program(TESSERA_QEMU_AARCH64 qemu-aarch64)
if(TESSERA_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${TESSERA_QEMU_AARCH64} -L ${TESSERA_AARCH64_SYSROOT} -cpu ${TESSERA_QEMU_CPU})
endif()
