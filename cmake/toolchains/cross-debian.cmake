# Shared part of the Debian cross toolchains (cmake/toolchains/<arch>.cmake set ZMTP_CROSS_TRIPLET
# and CMAKE_SYSTEM_PROCESSOR, then include this file). Compilers: Debian's g++-<triplet>. Test
# programs run through qemu-user with the target's libraries from /usr/<triplet> (CTest uses
# CMAKE_CROSSCOMPILING_EMULATOR).
#
# Libraries come from the target only: pkg-config looks in the target's multiarch directory
# alone, so the host's libzmq is never found (the suites that need libzmq are then left out, with
# a message). Header-only dependencies (standalone Asio, Catch2) are architecture-neutral and are
# taken from the host's /usr/include.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_C_COMPILER ${ZMTP_CROSS_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${ZMTP_CROSS_TRIPLET}-g++)
set(CMAKE_STRIP ${ZMTP_CROSS_TRIPLET}-strip CACHE FILEPATH "")
set(CMAKE_CROSSCOMPILING_EMULATOR ${ZMTP_CROSS_QEMU} -L /usr/${ZMTP_CROSS_TRIPLET})

set(CMAKE_FIND_ROOT_PATH /usr/${ZMTP_CROSS_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/${ZMTP_CROSS_TRIPLET}/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")
