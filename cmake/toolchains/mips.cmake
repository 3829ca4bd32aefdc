# Cross build for mips (Debian: g++-mips-linux-gnu, qemu-user). See cross-debian.cmake.
set(CMAKE_SYSTEM_PROCESSOR mips)
set(ZMTP_CROSS_TRIPLET mips-linux-gnu)
set(ZMTP_CROSS_QEMU qemu-mips)
include(${CMAKE_CURRENT_LIST_DIR}/cross-debian.cmake)
